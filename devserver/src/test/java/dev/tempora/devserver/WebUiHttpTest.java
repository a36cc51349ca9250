package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.examples.ExamplesSetup;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.http.ApiRequest;
import dev.tempora.internal.http.ApiResponse;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Web UI's listener over real HTTP: who may use its API (the token, the Host), what the page's
 * headers forbid, and the routes the UI added to the HTTP API (history pages, dead letters).
 */
class WebUiHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static DevServer server;
  static URI base;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    server = DevServer.start(new ExamplesSetup());
    URI launch = server.webUiUrl();
    base = URI.create(launch.getScheme() + "://" + launch.getAuthority());
    token = launch.getFragment().substring("token=".length());
    // A finished workflow with a few events (extract, transform with two retries, load).
    HttpResponse<String> started = LocalHttp.send(server, "POST", "/workflows", """
        {"workflowType":"EtlWorkflow","workflowId":"etl-http","args":[{"jobId":"etl-http","source":"orders.csv","target":"t"}]}""");
    assertEquals(201, started.statusCode(), started.body());
    HttpResponse<String> result = LocalHttp.send(server, "GET", "/workflows/etl-http/result?waitSeconds=20", null);
    assertTrue(result.body().contains("COMPLETED"), result.body());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> call(String method, String path, String authorization, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) b.header("Authorization", authorization);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode ok(String method, String path, String body) throws Exception {
    HttpResponse<String> r = call(method, path, "Bearer " + token, body);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void theLaunchUrlCarriesTheTokenInItsFragmentOnLoopback() {
    URI launch = server.webUiUrl();
    assertEquals("127.0.0.1", launch.getHost());
    assertEquals("/", launch.getPath());
    assertNull(launch.getQuery(), "the token is never in the query: a fragment is not sent to servers or logged");
    assertTrue(token.length() >= 32, token);
    assertEquals(launch, server.webUiUrl(), "one UI per devserver");
  }

  @Test
  void theApiRefusesRequestsWithoutThisServersToken() throws Exception {
    HttpResponse<String> none = call("GET", "/api/workflows", null, null);
    assertEquals(401, none.statusCode());
    assertEquals("Unauthorized", JSON.readTree(none.body()).path("error").asText());
    HttpResponse<String> wrong = call("GET", "/api/workflows", "Bearer " + token.substring(1) + "x", null);
    assertEquals(401, wrong.statusCode());
    HttpResponse<String> signal = call("POST", "/api/workflows/etl-http/cancel", null, "{}");
    assertEquals(401, signal.statusCode(), "a write without the token is refused before the API sees it");
    assertTrue(ok("GET", "/api/workflows", null).path("executions").size() >= 1);
  }

  @Test
  void anotherHostNameIsRefusedEvenWithTheToken() throws Exception {
    // A DNS-rebound name resolving to 127.0.0.1: the browser would send Host: evil.example:port.
    String reply = rawGet("/api/workflows", "evil.example:" + base.getPort(), "Bearer " + token);
    assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
    assertTrue(reply.contains("ForbiddenHost"), reply);
  }

  @Test
  void thePageMayRunOnlyItsOwnScriptAndMayNotBeFramed() throws Exception {
    HttpResponse<String> page = call("GET", "/", null, null);
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
    assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElseThrow());
    assertTrue(page.body().contains("<script src=\"/app.js\""));
    HttpResponse<String> js = call("GET", "/app.js", null, null);
    assertTrue(js.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
    assertFalse(js.body().contains("http://") || js.body().contains("https://"), "nothing is fetched from elsewhere");
    assertEquals(404, call("GET", "/secrets", null, null).statusCode());
  }

  @Test
  void historyComesInPagesThatTogetherAreTheWholeHistory() throws Exception {
    List<HistoryEvent> all = server.client().fetchHistory("etl-http");
    List<Long> ids = new ArrayList<>();
    String pageToken = null;
    int pages = 0;
    do {
      JsonNode page = ok("GET", "/api/workflows/etl-http/history?pageSize=2"
          + (pageToken == null ? "" : "&pageToken=" + pageToken), null);
      assertTrue(page.path("events").size() <= 2);
      for (JsonNode e : page.path("events")) {
        ids.add(e.path("eventId").asLong());
        assertFalse(e.path("summary").asText().isEmpty(), e.toString());
        assertFalse(e.path("event").path("type").asText().isEmpty(), e.toString());
      }
      pageToken = page.path("nextPageToken").isNull() ? null : page.path("nextPageToken").asText();
      pages++;
    } while (pageToken != null);
    assertEquals(all.stream().map(HistoryEvent::eventId).toList(), ids);
    assertEquals((all.size() + 1) / 2, pages);

    JsonNode whole = ok("GET", "/api/workflows/etl-http/history", null);
    assertEquals("WorkflowExecutionStarted", whole.path("events").get(0).path("event").path("type").asText());
    assertEquals(whole.path("runId").asText(),
        ok("GET", "/api/workflows/etl-http/history?runId=" + whole.path("runId").asText(), null).path("runId").asText());
    assertEquals("[{\"jobId\":\"etl-http\",\"source\":\"orders.csv\",\"target\":\"t\"}]",
        whole.path("events").get(0).path("event").path("input").path("json").asText());
  }

  @Test
  void historyRefusesABadTokenAnUnknownRunAndAnUnknownWorkflowByName() throws Exception {
    assertError(400, "InvalidParameter", "GET", "/api/workflows/etl-http/history?pageToken=abc");
    assertError(400, "InvalidParameter", "GET", "/api/workflows/etl-http/history?pageSize=0");
    assertError(400, "UnknownParameter", "GET", "/api/workflows/etl-http/history?page=2");
    assertError(404, "WorkflowNotFound", "GET", "/api/workflows/nope/history");
    assertError(404, "WorkflowNotFound", "GET", "/api/workflows/etl-http/history?runId=no-such-run");
  }

  @Test
  void deadLettersAreListedAndRedrivenByQueue() throws Exception {
    EmbeddedAws.Queues timers = server.queues().get("timers");
    String body = "{\"note\":\"the web ui test's dead letter\"}";
    server.aws().sqs().sendMessage(b -> b.queueUrl(timers.dlqUrl()).messageBody(body));
    JsonNode list = ok("GET", "/api/dead-letters", null);
    List<String> queues = new ArrayList<>();
    JsonNode timersRow = null;
    for (JsonNode q : list.path("queues")) {
      queues.add(q.path("queue").asText());
      if (q.path("queue").asText().equals("timers")) timersRow = q;
    }
    assertEquals(List.of("workflow-tasks", "timers", "schedules", "activities-default", "activities-gpu"), queues);
    assertNotNull(timersRow);
    assertEquals(1, timersRow.path("count").asInt(), timersRow.toString());
    assertEquals("the web ui test's dead letter", timersRow.path("messages").get(0).path("body").path("note").asText());
    assertEquals(1, server.deadLetters("timers").size(), "listing consumed nothing");

    assertError(404, "QueueNotFound", "POST", "/api/dead-letters/nope/redrive");
    long received = server.messagesReceived("timers");
    JsonNode redriven = ok("POST", "/api/dead-letters/timers/redrive", "{}");
    assertEquals(1, redriven.path("redriven").asInt());
    // Back on the timers queue, its consumer gets it again; an undecodable timer is dead-lettered
    // by the handler itself (TimerQueueHandler), so it ends in the DLQ once more.
    for (int i = 0; i < 100 && server.messagesReceived("timers") == received; i++) {
      Thread.sleep(100);
    }
    assertEquals(received + 1, server.messagesReceived("timers"), "the redriven message went back to its queue");
  }

  @Test
  void theLambdaHttpApiHasNoDeadLetterRoutes() {
    ApiResponse r = server.runtime().httpApi().handle(new ApiRequest("GET", "/dead-letters", null, null, null));
    assertEquals(404, r.status());
    assertTrue(r.body().contains("RouteNotFound"), r.body());
  }

  static void assertError(int status, String error, String method, String path) throws Exception {
    HttpResponse<String> r = call(method, path, "Bearer " + token, method.equals("POST") ? "{}" : null);
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(error, JSON.readTree(r.body()).path("error").asText(), r.body());
  }

  /** A request with a Host header of our choosing (java.net.http sets its own). */
  static String rawGet(String path, String host, String authorization) throws Exception {
    try (Socket s = new Socket("127.0.0.1", base.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
