package dev.tempora.lambda.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.http.HttpApi;
import dev.tempora.internal.memory.InMemoryRuntime;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API Gateway handler with payload-format-2.0 events over the in-memory engine: the event's
 * parts reach the shared {@link HttpApi} (stage prefix, base64 bodies, raw query strings, header
 * case) and its answers come back as gateway responses. The API's own contract is tested over real
 * HTTP against the devserver (HttpApiDevServerTest).
 */
class HttpApiHandlerTest {

  @WorkflowInterface
  public interface Greeting {
    @WorkflowMethod
    String greet(String name);

    @SignalMethod
    void punctuate(String mark);

    @QueryMethod
    String draft();
  }

  public static class GreetingImpl implements Greeting {
    private String name;
    private String mark;

    @Override
    public String greet(String name) {
      this.name = name;
      Workflow.await(() -> mark != null);
      return draft();
    }

    @Override
    public void punctuate(String mark) {
      this.mark = mark;
    }

    @Override
    public String draft() {
      return "hello " + name + (mark == null ? "" : mark);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final InMemoryRuntime runtime = new InMemoryRuntime(new InMemoryRuntime.Options("default", 10, 5_000,
      Instant.parse("2026-01-01T00:00:00Z"), 7, WorkflowTaskHooks.NONE));
  private final HttpApiHandler handler;

  HttpApiHandlerTest() {
    runtime.workflows.register(GreetingImpl.class);
    handler = new HttpApiHandler(new HttpApi(runtime.service));
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  private static APIGatewayV2HTTPEvent event(String method, String stage, String rawPath, String rawQuery,
      Map<String, String> headers, String body, boolean base64) {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey("$default")
        .withRawPath(rawPath)
        .withRawQueryString(rawQuery == null ? "" : rawQuery)
        .withHeaders(headers)
        .withBody(body)
        .withIsBase64Encoded(base64)
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withStage(stage)
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(rawPath).build())
            .build())
        .build();
  }

  private APIGatewayV2HTTPResponse call(String method, String rawPath, String body) {
    return handler.handleRequest(event(method, "$default", rawPath, null,
        Map.of("content-type", "application/json"), body, false), null);
  }

  private static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
    assertEquals("application/json", r.getHeaders().get("Content-Type"));
    return JSON.readTree(r.getBody());
  }

  @Test
  void startSignalQueryAndResultThroughGatewayEvents() throws Exception {
    // A named stage prefixes rawPath; the body arrives base64-encoded, as the gateway sends binary types.
    String start = "{\"workflowType\":\"Greeting\",\"workflowId\":\"g-1\",\"args\":[\"ann\"]}";
    APIGatewayV2HTTPResponse created = handler.handleRequest(event("POST", "prod", "/prod/workflows", null,
        Map.of("Content-Type", "application/json; charset=utf-8"),
        Base64.getEncoder().encodeToString(start.getBytes(StandardCharsets.UTF_8)), true), null);
    assertEquals(201, created.getStatusCode(), created.getBody());
    JsonNode run = json(created);
    assertTrue(run.get("started").asBoolean());

    APIGatewayV2HTTPResponse again = call("POST", "/workflows", start);
    assertEquals(200, again.getStatusCode(), "a repeated start returns the open run");
    assertEquals(run.get("runId"), json(again).get("runId"));
    assertFalse(json(again).get("started").asBoolean());

    APIGatewayV2HTTPResponse query = call("POST", "/workflows/g-1/queries/draft", "");
    assertEquals(200, query.getStatusCode(), query.getBody());
    assertEquals("hello ann", json(query).get("result").asText());

    APIGatewayV2HTTPResponse running = handler.handleRequest(event("GET", "$default", "/workflows/g-1/result", null,
        Map.of(), null, false), null);
    assertEquals(202, running.getStatusCode());
    assertEquals("RUNNING", json(running).get("status").asText());

    assertEquals(202, call("POST", "/workflows/g-1/signals/punctuate", "{\"args\":[\"!\"]}").getStatusCode());
    APIGatewayV2HTTPResponse result = handler.handleRequest(event("GET", "$default", "/workflows/g-1/result",
        "waitSeconds=10", Map.of(), null, false), null);
    assertEquals(200, result.getStatusCode(), result.getBody());
    assertEquals("COMPLETED", json(result).get("status").asText());
    assertEquals("hello ann!", json(result).get("result").asText());
  }

  @Test
  void refusalsKeepTheirStatusErrorNameAndHeaders() throws Exception {
    APIGatewayV2HTTPResponse wrongMethod = call("DELETE", "/workflows/g-1", "");
    assertEquals(405, wrongMethod.getStatusCode());
    assertEquals("GET", wrongMethod.getHeaders().get("Allow"));
    assertEquals("MethodNotAllowed", json(wrongMethod).get("error").asText());

    APIGatewayV2HTTPResponse unknownType = call("POST", "/workflows", "{\"workflowType\":\"Nope\",\"workflowId\":\"n\"}");
    assertEquals(400, unknownType.getStatusCode());
    assertEquals("UnknownWorkflowType", json(unknownType).get("error").asText());
    assertTrue(json(unknownType).get("message").asText().contains("Greeting"), "names the registered types");

    APIGatewayV2HTTPResponse badBase64 = handler.handleRequest(event("POST", "$default", "/workflows", null,
        Map.of(), "%%%not base64", true), null);
    assertEquals(400, badBase64.getStatusCode());
    assertEquals("BadJson", json(badBase64).get("error").asText());

    APIGatewayV2HTTPResponse unknownQueryParam = handler.handleRequest(event("GET", "$default", "/workflows", "lmit=5",
        Map.of(), null, false), null);
    assertEquals(400, unknownQueryParam.getStatusCode());
    assertEquals("UnknownParameter", json(unknownQueryParam).get("error").asText());

    // Percent-decoding happens per path segment; a malformed escape (which java.net.URI would not even send) is a 400.
    APIGatewayV2HTTPResponse badEscape = call("GET", "/workflows/%zz", null);
    assertEquals(400, badEscape.getStatusCode());
    assertEquals("InvalidPath", json(badEscape).get("error").asText());

    // The stage is stripped only when it prefixes the path: /prod/workflows on $default is an unknown route.
    APIGatewayV2HTTPResponse noStage = call("GET", "/prod/workflows", null);
    assertEquals(404, noStage.getStatusCode());
    assertEquals("RouteNotFound", json(noStage).get("error").asText());

    assertEquals(0, runtime.service.list(dev.tempora.client.ListExecutionsRequest.all()).size(),
        "no refused request started anything");
  }
}
