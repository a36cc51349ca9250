package dev.tempora.devserver;

import static dev.tempora.devserver.TestAws.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.RequestTooLargeException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

class LambdaInvokeEndpointTest {

  private final ObjectMapper json = new ObjectMapper();
  private LambdaInvokeEndpoint endpoint;
  private LambdaClient lambda;

  @BeforeEach
  void start() {
    var credentials = StackCredentials.fresh();
    endpoint = LambdaInvokeEndpoint.start(credentials);
    lambda =
        LambdaClient.builder()
            .endpointOverride(endpoint.endpoint())
            .region(EmbeddedAws.REGION)
            .credentialsProvider(StaticCredentialsProvider.create(credentials))
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
  }

  @AfterEach
  void stop() {
    lambda.close();
    endpoint.close();
  }

  @Test
  void invokesARegisteredFunctionByNameOrArn() throws Exception {
    endpoint.register("query", in -> "{\"echo\":" + in + "}");
    for (String name : List.of("query", LambdaInvokeEndpoint.functionArn("query"), "query:live", "000000000000:function:query")) {
      InvokeResponse r = lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String("{\"q\":1}")));
      assertEquals(200, r.statusCode());
      assertNull(r.functionError());
      assertEquals("$LATEST", r.executedVersion());
      assertEquals(json.readTree("{\"echo\":{\"q\":1}}"), json.readTree(r.payload().asUtf8String()), name);
    }
  }

  @Test
  void anUnknownFunctionIsResourceNotFound() {
    ResourceNotFoundException e =
        assertThrows(ResourceNotFoundException.class, () -> lambda.invoke(b -> b.functionName("nope").payload(SdkBytes.fromUtf8String("{}"))));
    assertEquals(404, e.statusCode());
    assertEquals("ResourceNotFoundException", e.awsErrorDetails().errorCode());
    assertEquals("User", e.type());
    assertTrue(e.getMessage().contains("Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope"), e.getMessage());
  }

  @Test
  void aThrowingFunctionIsAFunctionErrorNotAServiceError() throws Exception {
    endpoint.register("broken", in -> {
      throw new IllegalStateException("query failed", new IllegalArgumentException("root"));
    });
    InvokeResponse r = lambda.invoke(b -> b.functionName("broken").payload(SdkBytes.fromUtf8String("{}")));
    assertEquals(200, r.statusCode());
    assertEquals("Unhandled", r.functionError());
    JsonNode error = json.readTree(r.payload().asUtf8String());
    assertEquals("query failed", error.get("errorMessage").asText());
    assertEquals("java.lang.IllegalStateException", error.get("errorType").asText());
    assertTrue(error.get("stackTrace").isArray() && error.get("stackTrace").size() > 0);
    assertEquals("java.lang.IllegalArgumentException", error.get("cause").get("errorType").asText());
  }

  @Test
  void badAndOversizedPayloadsAreRejectedAsLambdaDoes() throws Exception {
    endpoint.register("f", in -> in);
    assertThrows(InvalidRequestContentException.class,
        () -> lambda.invoke(b -> b.functionName("f").payload(SdkBytes.fromUtf8String("not json"))));
    String big = "\"" + "x".repeat(LambdaInvokeEndpoint.MAX_REQUEST_BYTES) + "\"";
    RequestTooLargeException tooLarge =
        assertThrows(RequestTooLargeException.class, () -> lambda.invoke(b -> b.functionName("f").payload(SdkBytes.fromUtf8String(big))));
    assertEquals(413, tooLarge.statusCode());

    endpoint.register("huge", in -> "\"" + "y".repeat(LambdaInvokeEndpoint.MAX_RESPONSE_BYTES) + "\"");
    InvokeResponse r = lambda.invoke(b -> b.functionName("huge").payload(SdkBytes.fromUtf8String("{}")));
    assertEquals("Unhandled", r.functionError());
    assertEquals("Function.ResponseSizeTooLarge", json.readTree(r.payload().asUtf8String()).get("errorType").asText());
  }

  @Test
  void eventAndDryRunInvocations() {
    List<String> calls = new CopyOnWriteArrayList<>();
    endpoint.register("sink", in -> {
      calls.add(in);
      return null;
    });
    assertEquals(204, lambda.invoke(b -> b.functionName("sink").invocationType(InvocationType.DRY_RUN)).statusCode());
    InvokeResponse r = lambda.invoke(b -> b.functionName("sink").invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{\"e\":1}")));
    assertEquals(202, r.statusCode());
    await("event delivered", Duration.ofSeconds(5), () -> calls.equals(List.of("{\"e\":1}")));
    assertEquals("null", lambda.invoke(b -> b.functionName("sink").payload(SdkBytes.fromUtf8String("{}"))).payload().asUtf8String());
  }
}
