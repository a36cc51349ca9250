package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tempora.examples.ExamplesSetup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Issue 9, finding 9, on a running devserver: every listener on loopback only (DynamoDB Local
 * included), a client without the stack's credential refused by DynamoDB Local, malformed requests
 * answered with JSON errors by every listener, a stalled body cut off while others are served, and
 * a 500 that carries an error id instead of the AWS SDK's exception text.
 */
class DevServerHardeningTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  /** Reads of this workflow id fail in the AWS SDK, as a broken store would. */
  private static final String BROKEN_ID = "boom-500";

  static DevServer server;

  /** Fails every AWS call about {@link #BROKEN_ID} with an SDK exception full of internals. */
  static final class FailingStore implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request().toString().contains(BROKEN_ID)) {
        throw DynamoDbException.builder().message("injected: table tempora-history, request " + context.request()
            + " (Service: DynamoDb, Status Code: 500, Request ID: XYZ)").build();
      }
    }
  }

  @BeforeAll
  static void start() {
    server = DevServer.start(new ExamplesSetup(),
        DevServer.Options.defaults().withInterceptors(List.of(new FailingStore())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Map<String, URI> endpoints() {
    return Map.of("DynamoDB Local", server.aws().dynamoEndpoint(), "ElasticMQ", server.aws().sqsEndpoint(),
        "Scheduler", server.scheduler().endpoint(), "Lambda Invoke", server.lambdaEndpoint(),
        "HTTP API", server.httpApiEndpoint());
  }

  @Test
  void everyListenerOfTheStackIsOnLoopbackOnly() throws Exception {
    assumeTrue(ListeningSockets.available(), "needs Linux /proc");
    List<InetSocketAddress> listening = ListeningSockets.ofThisProcess();
    endpoints().forEach((name, endpoint) -> {
      List<InetSocketAddress> bound = listening.stream().filter(a -> a.getPort() == endpoint.getPort()).toList();
      assertFalse(bound.isEmpty(), name + " listens on port " + endpoint.getPort());
      bound.forEach(a -> assertTrue(a.getAddress().isLoopbackAddress(), name + " is bound to " + a));
    });
    // Nothing else in this JVM listens beyond loopback either (an emulator's second port, say).
    listening.forEach(a -> assertTrue(a.getAddress().isLoopbackAddress(), "this JVM listens on " + a));
  }

  @Test
  void noListenerAnswersOnTheMachinesOtherAddresses() throws Exception {
    List<InetAddress> addresses = ListeningSockets.nonLoopbackAddresses();
    assumeTrue(!addresses.isEmpty(), "this machine has no address but loopback");
    for (InetAddress address : addresses) {
      endpoints().forEach((name, endpoint) -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(address, endpoint.getPort()), 2000);
          throw new AssertionError(name + " accepts connections on " + address + ":" + endpoint.getPort());
        } catch (IOException expected) {
          // refused (or unreachable): not served there
        }
      });
    }
  }

  @Test
  void aClientWithoutTheStacksCredentialIsRefusedByDynamoDbLocal() {
    try (DynamoDbClient stranger = DynamoDbClient.builder().endpointOverride(server.aws().dynamoEndpoint())
        .region(EmbeddedAws.REGION).httpClientBuilder(ApacheHttpClient.builder())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASTRANGER", "guess")))
        .build()) {
      DynamoDbException e = assertThrows(DynamoDbException.class, stranger::listTables);
      assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
      assertEquals(400, e.statusCode());
      DynamoDbException read = assertThrows(DynamoDbException.class, () -> stranger.scan(b -> b.tableName(
          server.config().tableName())));
      assertEquals("UnrecognizedClientException", read.awsErrorDetails().errorCode(), "the history is not readable");
    }
  }

  @Test
  void malformedRequestsAreJsonErrorsOnEveryListenerWeServe() {
    Map<String, URI> ours = Map.of("DynamoDB Local", server.aws().dynamoEndpoint(),
        "Scheduler", server.scheduler().endpoint(), "Lambda Invoke", server.lambdaEndpoint(),
        "HTTP API", server.httpApiEndpoint());
    ours.forEach((name, endpoint) -> {
      for (String request : List.of("GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n",
          "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")) {
        RawHttp.Reply r = RawHttp.exchange(endpoint, request, PATIENCE);
        assertTrue(r.status() == 400 || r.status() == 501, () -> name + ": " + r);
        assertTrue(r.headers().getOrDefault("content-type", "").contains("json"), () -> name + " answers JSON: " + r);
        r.json(); // parses
        LocalHttpServerTest.assertNoInternals(r);
      }
    });
    RawHttp.Reply api = RawHttp.exchange(server.httpApiEndpoint(), "GARBAGE\r\n\r\n", PATIENCE);
    assertEquals("BadRequest", api.json().path("error").asText(), api::toString);
    RawHttp.Reply coding = RawHttp.exchange(server.httpApiEndpoint(),
        "POST /workflows HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", PATIENCE);
    assertEquals(501, coding.status(), coding::toString);
    assertEquals("UnsupportedTransferEncoding", coding.json().path("error").asText(), coding::toString);
  }

  @Test
  void aStalledPartialBodyIsCutOffAndTheApiStillServesOthers() throws Exception {
    try (Socket stalled = RawHttp.connect(server.httpApiEndpoint())) {
      stalled.setSoTimeout((int) PATIENCE.toMillis());
      RawHttp.send(stalled, "POST /workflows HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
          + "Content-Length: 500\r\n\r\n{\"workflowType\":");
      CompletableFuture<RawHttp.Reply> cutOff = CompletableFuture.supplyAsync(() -> {
        try {
          return RawHttp.read(stalled.getInputStream());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      List<RawHttp.Reply> others = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        others.add(RawHttp.exchange(server.httpApiEndpoint(),
            "GET /workflows/nobody-" + i + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", PATIENCE));
      }
      others.forEach(r -> assertEquals(404, r.status(), r::toString));
      RawHttp.Reply r = cutOff.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertEquals(408, r.status(), r::toString);
      assertEquals("RequestTimeout", r.json().path("error").asText(), r::toString);
    }
  }

  @Test
  void aStoreFailureIsA500WithAnErrorIdAndNoExceptionText() {
    RawHttp.Reply r = RawHttp.exchange(server.httpApiEndpoint(),
        "GET /workflows/" + BROKEN_ID + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", PATIENCE);
    assertEquals(500, r.status(), r::toString);
    assertEquals("InternalError", r.json().path("error").asText(), r::toString);
    assertTrue(r.json().path("message").asText().matches("internal error \\(error id [0-9a-f]{12}; .*\\)"), r::toString);
    for (String leak : List.of("injected", "DynamoDb", "Exception", "software.amazon", "tempora-history", "Status Code")) {
      assertFalse(r.body().contains(leak), () -> "the 500 shows '" + leak + "': " + r);
    }
  }
}
