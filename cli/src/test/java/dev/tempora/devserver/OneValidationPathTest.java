package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.SignalOptions;
import dev.tempora.client.WorkflowAlreadyStartedException;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.examples.ExamplesSetup;
import dev.tempora.examples.expense.ExpenseReport;
import dev.tempora.examples.fanout.FanOutWorkflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Findings 7 and 8 of issue 9 on the embedded AWS stack: the Java client (typed and untyped
 * stubs), the CLI and the HTTP API refuse the same requests with the same error name, and none of
 * them writes anything (a full table scan and the workflow-task queue's counters are unchanged).
 * Before the fix the client and the CLI started unregistered types, sent undeclared signals and
 * started runs on task queues nobody serves, with exit 0 where HTTP answered 400; ids with a lone
 * surrogate were the run of {@code alias-?}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OneValidationPathTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String OPEN = "vp-open";
  private static final ExpenseReport REPORT = new ExpenseReport("e-1", "ann", 4200, "taxi");
  private static final String REPORT_JSON =
      "{\"expenseId\":\"e-1\",\"employee\":\"ann\",\"amountCents\":4200,\"description\":\"taxi\"}";

  /** A workflow interface no deployment registers: its typed stub is refused like an unknown type name. */
  @WorkflowInterface
  public interface Unregistered {
    @WorkflowMethod
    String run();
  }

  @TempDir static Path dir;
  DevServer server;
  Path stateFile;
  WorkflowClient client;
  String baseline;

  @BeforeAll
  void start() {
    server = DevServer.start(new ExamplesSetup());
    stateFile = dir.resolve("devserver.json");
    server.writeState(stateFile);
    client = server.client();
    client.newUntypedWorkflowStub("ExpenseWorkflow", WorkflowOptions.newBuilder().setWorkflowId(OPEN).build())
        .start(REPORT);
    TestAws.await(OPEN + " waiting", Duration.ofSeconds(20), () -> {
      try {
        return "WAITING".equals(client.newUntypedWorkflowStub(OPEN).query("status", String.class));
      } catch (RuntimeException e) {
        return false; // its first workflow task has not run yet
      }
    });
    TestAws.await("a settled store", Duration.ofSeconds(20), () -> {
      String a = snapshot();
      sleep(300);
      return a.equals(snapshot());
    });
    baseline = snapshot();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /**
   * One request three ways. {@code http}: method, path, body; {@code client}: the same through the
   * Java client; {@code cli}: the same through the CLI (null where it has no such command, or the
   * request cannot be written that way).
   */
  record Case(String name, String error, String[] http, Consumer<WorkflowClient> client, String[] cli) {
    @Override
    public String toString() {
      return name;
    }
  }

  static WorkflowOptions id(String workflowId) {
    return WorkflowOptions.newBuilder().setWorkflowId(workflowId).build();
  }

  static WorkflowOptions onQueue(String workflowId, String taskQueue) {
    return WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(taskQueue).build();
  }

  static String[] request(String method, String path, String body) {
    return new String[] {method, path, body};
  }

  static String[] command(String... args) {
    return args;
  }

  static Stream<Case> cases() {
    String longId = "i".repeat(256);
    return Stream.of(
        new Case("unknown workflow type", "UnknownWorkflowType",
            request("POST", "/workflows", "{\"workflowType\":\"NoSuchWorkflow\",\"workflowId\":\"vp-1\"}"),
            c -> c.newUntypedWorkflowStub("NoSuchWorkflow", id("vp-1")).start(),
            command("start", "NoSuchWorkflow", "vp-1")),
        new Case("typed stub of an unregistered interface", "UnknownWorkflowType",
            request("POST", "/workflows", "{\"workflowType\":\"Unregistered\",\"workflowId\":\"vp-2\"}"),
            c -> WorkflowClient.start(c.newWorkflowStub(Unregistered.class, id("vp-2"))::run),
            command("start", "Unregistered", "vp-2")),
        new Case("too many arguments", "InvalidArguments",
            request("POST", "/workflows", "{\"workflowType\":\"ExpenseWorkflow\",\"workflowId\":\"vp-3\",\"args\":["
                + REPORT_JSON + "," + REPORT_JSON + "]}"),
            c -> c.newUntypedWorkflowStub("ExpenseWorkflow", id("vp-3")).start(REPORT, REPORT),
            command("start", "ExpenseWorkflow", "vp-3", REPORT_JSON, REPORT_JSON)),
        new Case("no argument for a one-argument workflow", "InvalidArguments",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-4\"}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", id("vp-4")).start(),
            command("start", "FanOutWorkflow", "vp-4")),
        new Case("argument of the wrong type", "InvalidArguments",
            request("POST", "/workflows", "{\"workflowType\":\"ExpenseWorkflow\",\"workflowId\":\"vp-5\",\"args\":"
                + "[{\"amountCents\":\"lots\"}]}"),
            c -> c.newUntypedWorkflowStub("ExpenseWorkflow", id("vp-5")).start(Map.of("amountCents", "lots")),
            command("start", "ExpenseWorkflow", "vp-5", "{\"amountCents\":\"lots\"}")),
        new Case("a task queue the engine does not serve (untyped)", "UnknownTaskQueue",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-6\",\"args\":[3],"
                + "\"taskQueue\":\"nowhere\"}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", onQueue("vp-6", "nowhere")).start(3),
            command("start", "FanOutWorkflow", "vp-6", "3", "--task-queue", "nowhere")),
        new Case("a task queue the engine does not serve (typed)", "UnknownTaskQueue",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-7\",\"args\":[3],"
                + "\"taskQueue\":\"nowhere\"}"),
            c -> WorkflowClient.start(c.newWorkflowStub(FanOutWorkflow.class, onQueue("vp-7", "nowhere"))::sumOfSquares, 3),
            command("start", "--task-queue", "nowhere", "FanOutWorkflow", "vp-7", "3")),
        new Case("a task queue that cannot name a queue", "InvalidField",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-8\",\"args\":[3],"
                + "\"taskQueue\":\"my queue\"}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", onQueue("vp-8", "my queue")).start(3),
            command("start", "FanOutWorkflow", "vp-8", "3", "--task-queue", "my queue")),
        new Case("unknown signal", "UnknownSignal",
            request("POST", "/workflows/" + OPEN + "/signals/approv", "{\"args\":[\"bob\"]}"),
            c -> c.newUntypedWorkflowStub(OPEN).signal("approv", "bob"),
            command("signal", OPEN, "approv", "\"bob\"")),
        new Case("signal argument of the wrong type", "InvalidArguments",
            request("POST", "/workflows/" + OPEN + "/signals/approve", "{\"args\":[{\"a\":1}]}"),
            c -> c.newUntypedWorkflowStub(OPEN).signal("approve", Map.of("a", 1)),
            command("signal", OPEN, "approve", "{\"a\":1}")),
        new Case("signal without its argument", "InvalidArguments",
            request("POST", "/workflows/" + OPEN + "/signals/approve", ""),
            c -> c.newUntypedWorkflowStub(OPEN).signal("approve"),
            command("signal", OPEN, "approve")),
        new Case("signal with one of its two arguments", "InvalidArguments",
            request("POST", "/workflows/" + OPEN + "/signals/reject", "{\"args\":[\"carol\"]}"),
            c -> c.newUntypedWorkflowStub(OPEN).signal("reject", "carol"),
            command("signal", OPEN, "reject", "\"carol\"")),
        new Case("unknown query", "UnknownQuery",
            request("POST", "/workflows/" + OPEN + "/queries/state", ""),
            c -> c.newUntypedWorkflowStub(OPEN).query("state", String.class),
            command("query", OPEN, "state")),
        new Case("query with an argument it does not take", "InvalidArguments",
            request("POST", "/workflows/" + OPEN + "/queries/status", "{\"args\":[1]}"),
            c -> c.newUntypedWorkflowStub(OPEN).query("status", String.class, 1),
            command("query", OPEN, "status", "1")),
        new Case("signal-with-start with an unknown signal", "UnknownSignal",
            request("POST", "/workflows/vp-9/signal-with-start", "{\"workflowType\":\"ExpenseWorkflow\",\"args\":["
                + REPORT_JSON + "],\"signalName\":\"pay\"}"),
            c -> c.newUntypedWorkflowStub("ExpenseWorkflow", id("vp-9")).signalWithStart("pay", new Object[0],
                new Object[] {REPORT}),
            null),
        new Case("signal-with-start onto a run of another type", "WorkflowAlreadyStarted",
            request("POST", "/workflows/" + OPEN + "/signal-with-start", "{\"workflowType\":\"SubscriptionWorkflow\","
                + "\"args\":[null],\"signalName\":\"cancel\",\"signalArgs\":[\"x\"]}"),
            c -> c.newUntypedWorkflowStub("SubscriptionWorkflow", id(OPEN)).signalWithStart("cancel", new Object[] {"x"},
                new Object[] {null}),
            null),
        new Case("start of an id running as another type", "WorkflowAlreadyStarted",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"" + OPEN + "\",\"args\":[1]}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", id(OPEN)).start(1),
            command("start", "FanOutWorkflow", OPEN, "1")),
        new Case("id with a lone high surrogate (alias of alias-?)", "InvalidWorkflowId",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"alias-\\ud800\",\"args\":[1]}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", id("alias-\ud800")).start(1),
            command("start", "FanOutWorkflow", "alias-\ud800", "1")),
        new Case("id with another lone high surrogate", "InvalidWorkflowId",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"alias-\\udbff\",\"args\":[1]}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", id("alias-\udbff")).start(1),
            command("start", "FanOutWorkflow", "alias-\udbff", "1")),
        new Case("signal to an id with a lone surrogate", "InvalidWorkflowId",
            null, // in a path it cannot be sent as such: HttpApiValidationTest refuses its UTF-8 encoding (InvalidPath)
            c -> c.newUntypedWorkflowStub("alias-\ud800").signal("approve", "bob"),
            command("signal", "alias-\ud800", "approve", "\"bob\"")),
        new Case("id of 256 characters", "InvalidWorkflowId",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"" + longId + "\",\"args\":[1]}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", id(longId)).start(1),
            command("start", "FanOutWorkflow", longId, "1")),
        new Case("a negative run timeout", "InvalidDuration",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-10\",\"args\":[1],"
                + "\"workflowRunTimeout\":\"-PT1S\"}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", WorkflowOptions.newBuilder().setWorkflowId("vp-10")
                .setWorkflowRunTimeout(Duration.ofSeconds(-1)).build()).start(1),
            null), // the CLI's duration syntax has no negative durations (a usage error)
        new Case("an execution timeout past the year 9999", "InvalidDuration",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-11\",\"args\":[1],"
                + "\"workflowExecutionTimeout\":\"PT90000000H\"}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", WorkflowOptions.newBuilder().setWorkflowId("vp-11")
                .setWorkflowExecutionTimeout(Duration.ofHours(90_000_000)).build()).start(1),
            command("start", "FanOutWorkflow", "vp-11", "1", "--execution-timeout", "90000000h")),
        new Case("retry options with a blank failure type", "InvalidRetryOptions",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-12\",\"args\":[1],"
                + "\"retryOptions\":{\"doNotRetry\":[\" \"]}}"),
            c -> WorkflowClient.start(c.newWorkflowStub(FanOutWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId("vp-12").setRetryOptions(RetryOptions.newBuilder().setDoNotRetry(" ").build()).build())
                ::sumOfSquares, 1),
            null), // the CLI sets no retry options
        new Case("retry options with a coefficient below 1 (HTTP; the Java builder refuses it itself)",
            "InvalidRetryOptions",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-13\",\"args\":[1],"
                + "\"retryOptions\":{\"backoffCoefficient\":0.5}}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", WorkflowOptions.newBuilder().setWorkflowId("vp-13")
                .setRetryOptions(RetryOptions.newBuilder().setDoNotRetry("").build()).build()).start(1),
            null),
        new Case("a memo with a blank key", "InvalidMemo",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-14\",\"args\":[1],"
                + "\"memo\":{\" \":1}}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", WorkflowOptions.newBuilder().setWorkflowId("vp-14")
                .setMemo(Map.of(" ", 1)).build()).start(1),
            command("start", "FanOutWorkflow", "vp-14", "1", "--memo", "{\" \":1}")),
        new Case("a cron schedule that does not parse", "InvalidCronExpression",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-15\",\"args\":[1],"
                + "\"cronSchedule\":\"61 * * * *\"}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", WorkflowOptions.newBuilder().setWorkflowId("vp-15")
                .setCronSchedule("61 * * * *").build()).start(1),
            command("start", "FanOutWorkflow", "vp-15", "1", "--cron", "61 * * * *")),
        new Case("a cron schedule with an unknown nickname", "InvalidCronExpression",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-16\",\"args\":[1],"
                + "\"cronSchedule\":\"@fortnightly\"}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", WorkflowOptions.newBuilder().setWorkflowId("vp-16")
                .setCronSchedule("@fortnightly").build()).start(1),
            command("start", "FanOutWorkflow", "vp-16", "1", "--cron", "@fortnightly")),
        new Case("a negative start delay", "InvalidDuration",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-17\",\"args\":[1],"
                + "\"startDelay\":\"-PT1M\"}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", WorkflowOptions.newBuilder().setWorkflowId("vp-17")
                .setStartDelay(Duration.ofMinutes(-1)).build()).start(1),
            null), // the CLI's duration syntax has no negative durations (a usage error)
        new Case("a start delay with a cron schedule", "InvalidField",
            request("POST", "/workflows", "{\"workflowType\":\"FanOutWorkflow\",\"workflowId\":\"vp-18\",\"args\":[1],"
                + "\"cronSchedule\":\"@daily\",\"startDelay\":\"PT1M\"}"),
            c -> c.newUntypedWorkflowStub("FanOutWorkflow", WorkflowOptions.newBuilder().setWorkflowId("vp-18")
                .setCronSchedule("@daily").setStartDelay(Duration.ofMinutes(1)).build()).start(1),
            command("start", "FanOutWorkflow", "vp-18", "1", "--cron", "@daily", "--start-delay", "1m")),
        new Case("empty signal request id", "InvalidRequestId",
            request("POST", "/workflows/" + OPEN + "/signals/approve", "{\"args\":[\"bob\"],\"requestId\":\" \"}"),
            c -> c.newUntypedWorkflowStub(OPEN).signal(SignalOptions.newBuilder().setRequestId(" ").build(), "approve", "bob"),
            command("signal", OPEN, "approve", "\"bob\"", "--request-id", " ")));
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theClientTheCliAndTheHttpApiRefuseItAlikeAndWriteNothing(Case c) {
    if (c.http() != null) {
      JsonNode answer = callHttp(c.http()[0], c.http()[1], c.http()[2]);
      assertEquals(c.error(), answer.path("error").asText(), () -> "HTTP: " + answer);
      assertEquals(baseline, snapshot(), "HTTP: the store changed");
    }

    RuntimeException refused = assertThrows(RuntimeException.class, () -> c.client().accept(client), "Java client");
    assertEquals(c.error(), errorName(refused), () -> "Java client: " + refused);
    assertEquals(baseline, snapshot(), "Java client: the store changed");

    if (c.cli() != null) {
      CliRun r = runCli(c.cli());
      if (c.error().equals("WorkflowAlreadyStarted")) {
        assertEquals(1, r.rc(), r::toString); // the operation failed, as a WorkflowException does
        assertTrue(r.err().contains("already running as type ExpenseWorkflow"), r::toString);
      } else {
        assertEquals(3, r.rc(), r::toString);
        assertTrue(r.err().startsWith("tempora: " + c.error() + ": "), r::toString);
      }
      assertEquals("", r.out(), "nothing done");
      assertEquals(baseline, snapshot(), "CLI: the store changed");
    }
  }

  @Order(2)
  @Test
  void theStoreIsStillUnchangedOnceEverythingHasSettled() {
    sleep(500); // a message sent by mistake would have been received and processed by now
    assertEquals(baseline, snapshot());
  }

  /** Finding 8: the ids that were one workflow are a refused one and distinct ones. */
  @Order(3)
  @Test
  void idsThatAliasedAreRefusedOrDistinct() {
    WorkflowExecution question = client.newUntypedWorkflowStub("FanOutWorkflow", id("alias-?")).start(2);
    WorkflowExecution emoji = client.newUntypedWorkflowStub("FanOutWorkflow", id("alias-\ud83d\ude00")).start(3);
    for (String lone : List.of("alias-\ud800", "alias-\udbff", "alias-\udc00")) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class,
          () -> client.newUntypedWorkflowStub("FanOutWorkflow", id(lone)).start(2));
      assertEquals("InvalidWorkflowId", e.getError());
    }
    assertNotEquals(question.runId(), emoji.runId());
    assertEquals(5L, client.newUntypedWorkflowStub("alias-?").getResult(Duration.ofSeconds(20), Long.class));
    assertEquals(14L, client.newUntypedWorkflowStub("alias-\ud83d\ude00").getResult(Duration.ofSeconds(20), Long.class));
    assertEquals("alias-\ud83d\ude00", client.describe("alias-\ud83d\ude00").execution().workflowId());
    assertEquals(question.runId(), client.describe("alias-?").execution().runId());
  }

  // ---- helpers --------------------------------------------------------------------------------

  static String errorName(RuntimeException e) {
    return switch (e) {
      case InvalidRequestException r -> r.getError();
      case WorkflowAlreadyStartedException w -> "WorkflowAlreadyStarted";
      default -> throw new AssertionError("not a named refusal", e);
    };
  }

  JsonNode callHttp(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.httpApiEndpoint() + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, () -> path + " -> " + r.statusCode() + " " + r.body());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  CliRun runCli(String... args) {
    return CliRun.of(stateFile, args);
  }

  /** The table's items, the workflow-task queue's backlog and what its event source received. */
  String snapshot() {
    List<String> items = server.aws().dynamo().scanPaginator(b -> b.tableName(server.config().tableName())
            .consistentRead(true)).items().stream()
        .map(item -> new TreeMap<String, AttributeValue>(item).toString())
        .sorted()
        .toList();
    return "items=" + items.size() + " backlog=" + server.backlog("workflow-tasks") + " received="
        + server.messagesReceived("workflow-tasks") + " " + String.join("\n", items);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
