package dev.tempora.cdk.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The Java SigV4 example of docs/cdk.md, run: a request to the engine's HTTP API signed with the
 * SDK's signer for the service {@code execute-api}, sent with the JDK's HTTP client (here to a local
 * server that records what arrives, as no API Gateway runs offline).
 */
class SignedApiRequestTest {

  /** The docs' example: POST {apiUrl}workflows signed for execute-api in {@code region}. */
  static HttpResponse<String> startWorkflow(HttpClient http, String apiUrl, String region,
      AwsCredentialsIdentity credentials, String body) throws IOException, InterruptedException {
    SdkHttpRequest request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(URI.create(apiUrl + "workflows"))
        .putHeader("content-type", "application/json")
        .build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(credentials)
        .request(request)
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpRequest.Builder out = HttpRequest.newBuilder(signed.request().getUri())
        .POST(HttpRequest.BodyPublishers.ofString(body));
    // The JDK client sets Host itself (the same value the signature covers) and refuses it as a header.
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        values.forEach(v -> out.header(name, v));
      }
    });
    return http.send(out.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theRequestCarriesASigV4SignatureForExecuteApiAndItsBody() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), String.join(",", v)));
      seen.put("path", exchange.getRequestURI().getPath());
      seen.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] answer = "{\"workflowId\":\"order-1\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(201, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    try {
      String apiUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
      String body = "{\"workflowType\":\"OrderWorkflow\",\"workflowId\":\"order-1\",\"input\":[]}";
      HttpResponse<String> response = startWorkflow(HttpClient.newHttpClient(), apiUrl, "eu-west-1",
          AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), body);
      assertEquals(201, response.statusCode());
      assertEquals("/workflows", seen.get("path"));
      assertEquals(body, seen.get("body"));
      String today = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
      String authorization = seen.get("authorization");
      assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + today
          + "/eu-west-1/execute-api/aws4_request, SignedHeaders="), authorization);
      assertTrue(authorization.matches(".*SignedHeaders=[^,]*host[^,]*x-amz-date.*, Signature=[0-9a-f]{64}$"),
          authorization);
      assertTrue(seen.get("x-amz-date").startsWith(today + "T"), seen.get("x-amz-date"));
    } finally {
      server.stop(0);
    }
  }
}
