package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowExecutionInfo;
import dev.tempora.examples.ExamplesSetup;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.lambda.coordinator.EventBridgeStartHandler;
import dev.tempora.lambda.coordinator.InvalidStartEventException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The HTTP API (docs/http-api.md) over real HTTP against a devserver running the example
 * workflows, and EventBridge-triggered starts on the same stack. One devserver serves every nested
 * class (starting one costs seconds).
 */
class HttpApiDevServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(new ExamplesSetup());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Response(int status, JsonNode body, HttpResponse<String> raw) {
    String error() {
      return body.path("error").asText();
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  static Response call(String method, String path, String contentType, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.httpApiEndpoint() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null), "every answer is JSON");
      return new Response(r.statusCode(), JSON.readTree(r.body()), r);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Response post(String path, String body) {
    return call("POST", path, "application/json", body);
  }

  static Response get(String path) {
    return call("GET", path, null, null);
  }

  static Response expect(int status, Response r) {
    assertEquals(status, r.status(), () -> "unexpected answer " + r);
    return r;
  }

  static String expense(String workflowId, String expenseId) {
    return "{\"workflowType\":\"ExpenseWorkflow\",\"workflowId\":\"" + workflowId + "\",\"args\":[{\"expenseId\":\""
        + expenseId + "\",\"employee\":\"ann\",\"amountCents\":4200,\"description\":\"taxi\"}]}";
  }

  /** Polls a query until it answers {@code expected} (the workflow has reached that point). */
  static void awaitQuery(String workflowId, String query, String expected) {
    TestAws.await(workflowId + " " + query + " = " + expected, Duration.ofSeconds(15),
        () -> expected.equals(post("/workflows/" + workflowId + "/queries/" + query, "").body().path("result").asText()));
  }

  /** Waits until the workflow is parked: its first task is done and nothing is queued for it. */
  static void awaitPendingActivitiesDone(String workflowId) {
    TestAws.await(workflowId + " idle", Duration.ofSeconds(15), () -> {
      JsonNode d = get("/workflows/" + workflowId).body();
      return d.path("historyLength").asInt() > 0 && d.path("pendingActivities").isEmpty()
          && server.backlog("workflow-tasks") == 0;
    });
  }

  // -----------------------------------------------------------------------------------------------
  @Nested
  class EachRoute {

    @Test
    void startSignalQueryDescribeResult() {
      Response created = expect(201, post("/workflows", expense("http-exp-1", "e-1")));
      assertTrue(created.body().get("started").asBoolean());
      String runId = created.body().get("runId").asText();
      assertEquals("/workflows/http-exp-1", created.raw().headers().firstValue("Location").orElse(null));

      Response again = expect(200, post("/workflows", expense("http-exp-1", "e-1")));
      assertFalse(again.body().get("started").asBoolean(), "a repeated start is idempotent");
      assertEquals(runId, again.body().get("runId").asText());

      awaitQuery("http-exp-1", "status", "WAITING");
      Response described = expect(200, get("/workflows/http-exp-1"));
      assertEquals("RUNNING", described.body().get("status").asText());
      assertEquals("ExpenseWorkflow", described.body().get("workflowType").asText());
      assertEquals(runId, described.body().get("runId").asText());

      Response running = expect(202, get("/workflows/http-exp-1/result"));
      assertEquals("RUNNING", running.body().get("status").asText());

      Response signaled = expect(202, post("/workflows/http-exp-1/signals/approve", "{\"args\":[\"bob\"]}"));
      assertEquals(runId, signaled.body().get("runId").asText());

      Response result = expect(200, get("/workflows/http-exp-1/result?waitSeconds=15"));
      assertEquals("COMPLETED", result.body().get("status").asText());
      assertEquals("APPROVED", result.body().get("result").asText());
      assertEquals("COMPLETED", expect(200, get("/workflows/http-exp-1")).body().get("status").asText());
      // A closed run still answers queries (its history is replayed), as the client's query does.
      assertEquals("APPROVED", expect(200, post("/workflows/http-exp-1/queries/status", "{}")).body().get("result").asText());
    }

    @Test
    void signalWithStartStartsAndSignalsInOneCall() {
      Response r = expect(201, post("/workflows/http-sws-1/signal-with-start",
          "{\"workflowType\":\"ExpenseWorkflow\",\"args\":[{\"expenseId\":\"e-2\",\"employee\":\"ann\","
              + "\"amountCents\":100,\"description\":\"pen\"}],\"signalName\":\"reject\",\"signalArgs\":[\"carol\",\"no pens\"]}"));
      assertTrue(r.body().get("started").asBoolean());
      Response result = expect(200, get("/workflows/http-sws-1/result?waitSeconds=15"));
      assertEquals("REJECTED", result.body().get("result").asText());
    }

    @Test
    void cancelEndsTheRunCanceled() {
      expect(201, post("/workflows", expense("http-cancel-1", "e-3")));
      // Cancel while it waits for the decision (cancelling the approval-request activity instead
      // would fail the workflow with that activity's failure).
      awaitPendingActivitiesDone("http-cancel-1");
      expect(202, post("/workflows/http-cancel-1/cancel", null));
      Response result = expect(200, get("/workflows/http-cancel-1/result?waitSeconds=15"));
      assertEquals("CANCELED", result.body().get("status").asText(), result::toString);
    }

    @Test
    void terminateEndsTheRunAtOnceWithTheReason() {
      expect(201, post("/workflows", expense("http-term-1", "e-4")));
      Response t = expect(200, post("/workflows/http-term-1/terminate", "{\"reason\":\"duplicate expense\"}"));
      assertEquals("TERMINATED", t.body().get("status").asText());
      Response result = expect(200, get("/workflows/http-term-1/result"));
      assertEquals("TERMINATED", result.body().get("status").asText());
      assertEquals("duplicate expense", result.body().get("reason").asText());
    }

    @Test
    void aFailedWorkflowsResultCarriesItsFailure() {
      expect(201, post("/workflows", "{\"workflowType\":\"OrderWorkflow\",\"workflowId\":\"http-order-1\",\"args\":"
          + "[{\"orderId\":\"o-1\",\"customerId\":\"c-1\",\"sku\":\"chair\",\"quantity\":4,\"amountCents\":500}]}"));
      Response result = expect(200, get("/workflows/http-order-1/result?waitSeconds=20"));
      assertEquals("FAILED", result.body().get("status").asText(), result::toString);
      assertEquals("ACTIVITY", result.body().at("/failure/kind").asText(), result::toString);
      assertEquals("FulfillOrder", result.body().at("/failure/activityType").asText(), result::toString);
    }

    @Test
    void idsWithSlashesAndSpacesTravelPercentEncoded() {
      String id = "orders/2026 #1+2";
      Response created = expect(201, post("/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\""
          + id + "\",\"args\":[3]}"));
      assertEquals(id, created.body().get("workflowId").asText());
      String path = "/workflows/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
      Response result = expect(200, get(path + "/result?waitSeconds=15"));
      assertEquals(14, result.body().get("result").asLong(), "1 + 4 + 9");
      assertEquals(id, expect(200, get(path)).body().get("workflowId").asText());
    }

    @Test
    void listFiltersByTypeAndStatus() {
      expect(201, post("/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"http-list-1\",\"args\":[2]}"));
      expect(201, post("/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"http-list-2\",\"args\":[2]}"));
      expect(200, get("/workflows/http-list-1/result?waitSeconds=15"));
      expect(200, get("/workflows/http-list-2/result?waitSeconds=15"));
      JsonNode rows = expect(200, get("/workflows?workflowType=FanOutWorkflow&status=COMPLETED")).body().get("executions");
      List<String> ids = Stream.iterate(0, i -> i < rows.size(), i -> i + 1).map(i -> rows.get(i).get("workflowId").asText())
          .toList();
      assertTrue(ids.containsAll(List.of("http-list-1", "http-list-2")), ids::toString);
      rows.forEach(row -> {
        assertEquals("FanOutWorkflow", row.get("workflowType").asText());
        assertEquals("COMPLETED", row.get("status").asText());
      });
      assertEquals(1, expect(200, get("/workflows?workflowType=FanOutWorkflow&limit=1")).body().get("executions").size());
      assertEquals(0, expect(200, get("/workflows?workflowType=FanOutWorkflow&startedBefore=2000-01-01T00:00:00Z"))
          .body().get("executions").size());
    }
  }

  // -----------------------------------------------------------------------------------------------
  /**
   * A table of requests the API must refuse: each gets its status, error name and a message that
   * says what is wrong, and none may change the store: not the table (a full scan), not the
   * workflow-task queue (its backlog plus what the coordinator's event source has received).
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class BadRequests {
    private static final String OPEN = "bad-open";
    private static final String CLOSED = "bad-closed";
    private String baseline;

    @BeforeAll
    void seed() {
      expect(201, post("/workflows", expense(OPEN, "e-open")));
      expect(201, post("/workflows", expense(CLOSED, "e-closed")));
      expect(200, post("/workflows/" + CLOSED + "/terminate", "{}"));
      awaitQuery(OPEN, "status", "WAITING");
      awaitPendingActivitiesDone(OPEN);
      // Anything still finishing from other tests settles before the baseline is taken.
      TestAws.await("a settled store", Duration.ofSeconds(15), () -> {
        String a = snapshot();
        sleep(300);
        return a.equals(snapshot());
      });
      baseline = snapshot();
    }

    static Stream<Arguments> cases() {
      String big = "x".repeat(2 * 1024 * 1024);
      String longId = "i".repeat(256);
      String report = "{\"expenseId\":\"e\",\"employee\":\"ann\",\"amountCents\":1,\"description\":\"d\"}";
      return Stream.of(
          // POST /workflows: the body
          bad("empty body", "POST", "/workflows", "", 400, "BadJson", "empty"),
          bad("truncated JSON", "POST", "/workflows", "{\"workflowType\":", 400, "BadJson", "not valid JSON"),
          bad("an array, not an object", "POST", "/workflows", "[1,2]", 400, "BadJson", "must be a JSON object"),
          bad("duplicate key", "POST", "/workflows", "{\"workflowId\":\"a\",\"workflowId\":\"b\"}", 400, "BadJson",
              "Duplicate field"),
          bad("trailing garbage", "POST", "/workflows", "{\"workflowId\":\"a\"} x", 400, "BadJson", "not valid JSON"),
          bad("missing workflowType", "POST", "/workflows", "{\"workflowId\":\"n-1\"}", 400, "MissingField",
              "'workflowType'"),
          bad("missing workflowId", "POST", "/workflows", "{\"workflowType\":\"ExpenseWorkflow\"}", 400, "MissingField",
              "'workflowId'"),
          bad("empty workflowId", "POST", "/workflows", "{\"workflowType\":\"ExpenseWorkflow\",\"workflowId\":\"\"}",
              400, "MissingField", "'workflowId' is empty"),
          bad("workflowId of 256 characters", "POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\""
              + longId + "\",\"args\":[1]}", 400, "InvalidWorkflowId", "1-255"),
          bad("workflowId is a number", "POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":42}",
              400, "InvalidField", "must be a string"),
          bad("unknown workflow type", "POST", "/workflows", "{\"workflowType\":\"NoSuchWorkflow\",\"workflowId\":\"n-2\"}",
              400, "UnknownWorkflowType", "'NoSuchWorkflow' is not registered"),
          bad("misspelt field", "POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowID\":\"n-3\"}", 400,
              "UnknownField", "'workflowID'"),
          bad("args not an array", "POST", "/workflows", "{\"workflowType\":\"ExpenseWorkflow\",\"workflowId\":\"n-4\","
              + "\"args\":" + report + "}", 400, "InvalidField", "must be a JSON array"),
          bad("too many args", "POST", "/workflows", "{\"workflowType\":\"ExpenseWorkflow\",\"workflowId\":\"n-5\","
              + "\"args\":[" + report + "," + report + "]}", 400, "InvalidArguments", "takes 1 argument (ExpenseReport), got 2"),
          bad("no args for a one-argument workflow", "POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\","
              + "\"workflowId\":\"n-6\"}", 400, "InvalidArguments", "takes 1 argument (int), got 0"),
          bad("argument of the wrong type", "POST", "/workflows", "{\"workflowType\":\"ExpenseWorkflow\",\"workflowId\":"
              + "\"n-7\",\"args\":[{\"amountCents\":\"lots\"}]}", 400, "InvalidArguments", "(ExpenseReport) does not convert from an object"),
          bad("unknown reuse policy", "POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"n-8\","
              + "\"args\":[1],\"workflowIdReusePolicy\":\"SOMETIMES\"}", 400, "InvalidField", "REJECT_DUPLICATE"),
          bad("task queue with spaces", "POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"n-9\","
              + "\"args\":[1],\"taskQueue\":\"my queue\"}", 400, "InvalidField", "taskQueue"),
          bad("body over 2 MiB", "POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"n-10\","
              + "\"args\":[\"" + big + "\"]}", 413, "PayloadTooLarge", "limit is 2097152 bytes"),
          badTyped("text/plain body", "POST", "/workflows", "text/plain", "{\"workflowType\":\"FanOutWorkflow\"}", 415,
              "UnsupportedMediaType", "application/json"),
          bad("id running as another type", "POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\""
              + OPEN + "\",\"args\":[1]}", 409, "WorkflowAlreadyStarted", "already running as type ExpenseWorkflow"),
          bad("REJECT_DUPLICATE of a used id", "POST", "/workflows", expense(CLOSED, "e").replace("}]}",
              "}],\"workflowIdReusePolicy\":\"REJECT_DUPLICATE\"}"), 409, "WorkflowAlreadyStarted", "REJECT_DUPLICATE"),
          // routes and methods
          bad("unknown route", "GET", "/nope", null, 404, "RouteNotFound", "no route GET /nope"),
          bad("unknown sub-route", "POST", "/workflows/" + OPEN + "/pause", "", 404, "RouteNotFound", "/pause"),
          bad("DELETE a workflow", "DELETE", "/workflows/" + OPEN, null, 405, "MethodNotAllowed", "allowed: GET"),
          bad("GET on cancel", "GET", "/workflows/" + OPEN + "/cancel", null, 405, "MethodNotAllowed", "allowed: POST"),
          bad("PUT on /workflows", "PUT", "/workflows", "{}", 405, "MethodNotAllowed", "allowed: POST, GET"),
          bad("JSON null body", "POST", "/workflows", "null", 400, "BadJson", "must be a JSON object, got null"),
          bad("path id of 256 characters", "GET", "/workflows/" + longId, null, 400, "InvalidWorkflowId", "1-255"),
          // unknown and closed workflows
          bad("describe unknown workflow", "GET", "/workflows/no-such-id", null, 404, "WorkflowNotFound", "no-such-id"),
          bad("result of unknown workflow", "GET", "/workflows/no-such-id/result", null, 404, "WorkflowNotFound",
              "no-such-id"),
          bad("signal unknown workflow", "POST", "/workflows/no-such-id/signals/approve", "{\"args\":[\"bob\"]}", 404,
              "WorkflowNotFound", "no-such-id"),
          bad("query unknown workflow", "POST", "/workflows/no-such-id/queries/status", "", 404, "WorkflowNotFound",
              "no-such-id"),
          bad("signal a closed workflow", "POST", "/workflows/" + CLOSED + "/signals/approve", "{\"args\":[\"bob\"]}", 409,
              "WorkflowClosed", "already TERMINATED"),
          bad("cancel a closed workflow", "POST", "/workflows/" + CLOSED + "/cancel", "", 409, "WorkflowClosed",
              "cannot cancel"),
          bad("terminate a closed workflow", "POST", "/workflows/" + CLOSED + "/terminate", "{}", 409, "WorkflowClosed",
              "cannot terminate"),
          // signals and queries
          bad("unknown signal", "POST", "/workflows/" + OPEN + "/signals/approv", "{\"args\":[\"bob\"]}", 400,
              "UnknownSignal", "its signals: approve, reject"),
          bad("signal without its argument", "POST", "/workflows/" + OPEN + "/signals/approve", "", 400,
              "InvalidArguments", "takes 1 argument (String), got 0"),
          bad("signal argument of the wrong type", "POST", "/workflows/" + OPEN + "/signals/approve", "{\"args\":[{\"a\":1}]}",
              400, "InvalidArguments", "(String) does not convert from an object"),
          bad("signal body with a misspelt field", "POST", "/workflows/" + OPEN + "/signals/approve",
              "{\"arg\":[\"bob\"]}", 400, "UnknownField", "'arg'"),
          bad("unknown query", "POST", "/workflows/" + OPEN + "/queries/state", "", 400, "UnknownQuery",
              "its queries: status"),
          bad("query with an argument it does not take", "POST", "/workflows/" + OPEN + "/queries/status",
              "{\"args\":[1]}", 400, "InvalidArguments", "takes 0 arguments, got 1"),
          bad("terminate reason is a number", "POST", "/workflows/" + OPEN + "/terminate", "{\"reason\":7}", 400,
              "InvalidField", "'reason' must be a string"),
          bad("cancel with a body field", "POST", "/workflows/" + OPEN + "/cancel", "{\"force\":true}", 400,
              "UnknownField", "'force'"),
          // signal-with-start
          bad("signal-with-start without signalName", "POST", "/workflows/n-11/signal-with-start",
              "{\"workflowType\":\"ExpenseWorkflow\",\"args\":[" + report + "]}", 400, "MissingField", "'signalName'"),
          bad("signal-with-start with unknown signal", "POST", "/workflows/n-12/signal-with-start",
              "{\"workflowType\":\"ExpenseWorkflow\",\"args\":[" + report + "],\"signalName\":\"pay\"}", 400,
              "UnknownSignal", "no signal 'pay'"),
          bad("signal-with-start with unknown type", "POST", "/workflows/n-13/signal-with-start",
              "{\"workflowType\":\"Nope\",\"signalName\":\"approve\"}", 400, "UnknownWorkflowType", "'Nope'"),
          bad("signal-with-start onto another type", "POST", "/workflows/" + OPEN + "/signal-with-start",
              "{\"workflowType\":\"SubscriptionWorkflow\",\"args\":[null],\"signalName\":\"cancel\",\"signalArgs\":[\"x\"]}",
              409, "WorkflowAlreadyStarted", "already running as type ExpenseWorkflow"),
          // query parameters
          bad("waitSeconds over the maximum", "GET", "/workflows/" + OPEN + "/result?waitSeconds=99", null, 400,
              "InvalidParameter", "0-20"),
          bad("waitSeconds not a number", "GET", "/workflows/" + OPEN + "/result?waitSeconds=soon", null, 400,
              "InvalidParameter", "'waitSeconds'"),
          bad("list with unknown status", "GET", "/workflows?status=ALIVE", null, 400, "InvalidParameter", "RUNNING"),
          bad("list limit 0", "GET", "/workflows?limit=0", null, 400, "InvalidParameter", "1-1000"),
          bad("list with a bad instant", "GET", "/workflows?startedAfter=yesterday", null, 400, "InvalidParameter",
              "ISO-8601"),
          bad("list with unknown parameter", "GET", "/workflows?type=ExpenseWorkflow", null, 400, "UnknownParameter",
              "'type'"),
          bad("list with a repeated parameter", "GET", "/workflows?status=RUNNING&status=FAILED", null, 400,
              "InvalidParameter", "more than once"));
    }

    static Arguments bad(String name, String method, String path, String body, int status, String error, String says) {
      return badTyped(name, method, path, body == null ? null : "application/json", body, status, error, says);
    }

    static Arguments badTyped(String name, String method, String path, String contentType, String body, int status,
        String error, String says) {
      return Arguments.of(name, method, path, contentType, body, status, error, says);
    }

    @Order(1)
    @ParameterizedTest(name = "{0} -> {5} {6}")
    @MethodSource("cases")
    void isRefusedAndChangesNothing(String name, String method, String path, String contentType, String body,
        int status, String error, String says) {
      Response r = call(method, path, contentType, body);
      assertEquals(status, r.status(), () -> name + ": " + r);
      assertEquals(error, r.error(), () -> name + ": " + r);
      assertTrue(r.body().path("message").asText().contains(says), () -> name + ": message should say '" + says
          + "': " + r);
      assertEquals(baseline, snapshot(), name + ": the store changed");
    }

    @Order(2)
    @Test
    void theStoreIsStillUnchangedOnceEverythingHasSettled() {
      sleep(500); // a message sent by mistake would have been received and processed by now
      assertEquals(baseline, snapshot());
      assertTrue(cases().count() >= 30);
    }
  }

  /**
   * The table's items (each item's attributes sorted), the workflow-task queue's backlog and what
   * the coordinator's event source has received from it: any write or send by a refused request
   * shows in one of them.
   */
  static String snapshot() {
    List<String> items = server.aws().dynamo().scanPaginator(b -> b.tableName(server.config().tableName()).consistentRead(true))
        .items().stream()
        .map(item -> new TreeMap<String, AttributeValue>(item).toString())
        .sorted()
        .toList();
    return "items=" + items.size() + " backlog=" + server.backlog("workflow-tasks") + " received="
        + server.messagesReceived("workflow-tasks") + " " + items.hashCode() + " " + String.join("\n", items);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // -----------------------------------------------------------------------------------------------
  /** EventBridgeStartHandler on the same stack: one workflow per event id, however often it is delivered. */
  @Nested
  class EventBridgeStarts {

    static String input(String type, String prefix, String eventId, String detail) {
      return "{\"workflowType\":\"" + type + "\",\"workflowIdPrefix\":\"" + prefix + "\",\"event\":{\"version\":\"0\","
          + "\"id\":\"" + eventId + "\",\"detail-type\":\"ExpenseSubmitted\",\"source\":\"acme.expenses\","
          + "\"account\":\"000000000000\",\"time\":\"2026-01-01T00:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
          + "\"detail\":" + detail + "}}";
    }

    static final String DETAIL = "{\"expenseId\":\"e-ev\",\"employee\":\"dan\",\"amountCents\":700,\"description\":\"bus\"}";

    private EventBridgeStartHandler.Outcome feed(EventBridgeStartHandler handler, String input) {
      return handler.handle(input.getBytes(StandardCharsets.UTF_8));
    }

    private List<WorkflowExecutionInfo> runsOf(String workflowId) {
      return server.client().listExecutions(ListExecutionsRequest.all().withWorkflowType("ExpenseWorkflow")).stream()
          .filter(i -> i.execution().workflowId().equals(workflowId)).toList();
    }

    @Test
    void aRedeliveredEventStartsNothingNewEvenAfterTheRunClosed() {
      EventBridgeStartHandler handler = new EventBridgeStartHandler(server.runtime());
      String event = input("ExpenseWorkflow", "expense-", "11111111-2222-3333-4444-555555555555", DETAIL);
      EventBridgeStartHandler.Outcome first = feed(handler, event);
      assertTrue(first.started());
      assertEquals("expense-11111111-2222-3333-4444-555555555555", first.workflowId());

      EventBridgeStartHandler.Outcome again = feed(handler, event);
      assertFalse(again.started(), "redelivered while running");
      assertEquals(first.runId(), again.runId());

      awaitQuery(first.workflowId(), "status", "WAITING");
      List<HistoryEvent> history = server.client().fetchHistory(first.workflowId());
      assertEquals(1, history.stream().filter(e -> e.event() instanceof Event.WorkflowExecutionStarted).count());
      Event.WorkflowExecutionStarted started = (Event.WorkflowExecutionStarted) history.getFirst().event();
      assertEquals(JSON.createArrayNode().add(readTree(DETAIL)), readTree(started.input().json()),
          "the event's detail is the workflow method's argument");

      expect(202, post("/workflows/" + first.workflowId() + "/signals/approve", "{\"args\":[\"eve\"]}"));
      expect(200, get("/workflows/" + first.workflowId() + "/result?waitSeconds=15"));
      EventBridgeStartHandler.Outcome late = feed(handler, event);
      assertFalse(late.started(), "redelivered after the run completed");
      assertEquals(first.runId(), late.runId());
      assertEquals(1, runsOf(first.workflowId()).size(), "one run for the event id");
      assertEquals("COMPLETED", runsOf(first.workflowId()).getFirst().status().name());

      EventBridgeStartHandler.Outcome other = feed(handler, input("ExpenseWorkflow", "expense-",
          "66666666-7777-8888-9999-000000000000", DETAIL));
      assertTrue(other.started(), "another event id starts another workflow");
      assertNotEquals(first.workflowId(), other.workflowId());
      assertEquals(1, runsOf(other.workflowId()).size());
      expect(200, post("/workflows/" + other.workflowId() + "/terminate", "{}"));
    }

    @Test
    void inputThatCanNeverStartAWorkflowIsANamedErrorAndWritesNothing() {
      EventBridgeStartHandler handler = new EventBridgeStartHandler(server.runtime());
      Map<String, String> cases = Map.of(
          "UnknownWorkflowType", input("NoSuchWorkflow", "", "ev-1", DETAIL),
          "MissingField", "{\"workflowType\":\"ExpenseWorkflow\",\"event\":{\"detail\":{}}}",
          "InvalidArguments", input("ExpenseWorkflow", "", "ev-2", "{\"amountCents\":\"lots\"}"),
          "BadJson", "{\"workflowType\":",
          "UnknownField", "{\"workflowType\":\"ExpenseWorkflow\",\"evnt\":{}}");
      cases.forEach((error, input) -> {
        InvalidStartEventException e = assertThrows(InvalidStartEventException.class, () -> feed(handler, input));
        assertEquals(error, e.error());
        assertTrue(e.getMessage().startsWith(error + ": "), e.getMessage());
      });
      assertTrue(runsOf("ev-1").isEmpty() && runsOf("ev-2").isEmpty());
    }

    private static JsonNode readTree(String json) {
      try {
        return JSON.readTree(json);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }
}
