package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowExecutionInfo;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WorkflowOptions of issue 10 on both stacks. The execution and run timeouts are enforced by the
 * engine: a run still open at its deadline closes as TIMED_OUT with a WorkflowExecutionTimedOut
 * event, and its result throws WorkflowFailedException caused by a TimeoutFailure, as in
 * Temporal. Long deadlines go through the Scheduler path on AWS, short ones through SQS delays.
 * Timeouts, retry options and memo are recorded with the run and shown by describe, through the
 * client, the HTTP API and the CLI.
 */
class WorkflowOptionsOnBothStacksTest {

  @WorkflowInterface
  public interface Sleeper {
    @WorkflowMethod
    String sleep(int minutes);
  }

  public static class SleeperImpl implements Sleeper {
    @Override
    public String sleep(int minutes) {
      Workflow.sleep(Duration.ofMinutes(minutes));
      return "woke after " + minutes;
    }
  }

  @WorkflowInterface
  public interface Broken {
    @WorkflowMethod
    String run();
  }

  /** Its task fails every time: the run is parked, RUNNING, until its timeout closes it. */
  public static class BrokenImpl implements Broken {
    @Override
    public String run() {
      throw new IllegalStateException("a bug");
    }
  }

  @ActivityInterface
  public interface Attempts {
    /** Counts the calls for this workflow id: the attempt that makes it. */
    int next(String workflowId);
  }

  public static class CountingAttempts implements Attempts {
    static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    @Override
    public int next(String workflowId) {
      return CALLS.computeIfAbsent(workflowId, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  @WorkflowInterface
  public interface Flaky {
    /** Fails until its {@code succeedOn}-th attempt, with a failure of type {@code failureType}. */
    @WorkflowMethod
    String run(int succeedOn, String failureType);
  }

  public static class FlakyImpl implements Flaky {
    private final Attempts attempts = Workflow.newActivityStub(Attempts.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

    @Override
    public String run(int succeedOn, String failureType) {
      int attempt = attempts.next(Workflow.getInfo().workflowId());
      if (attempt < succeedOn) {
        throw ApplicationFailure.newFailure("attempt " + attempt + " failed", failureType);
      }
      return "succeeded on attempt " + attempt;
    }
  }

  /** The devserver's setup, by a name the CLI can load. */
  public static class SleeperSetup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(SleeperImpl.class, BrokenImpl.class, FlakyImpl.class);
      worker.registerActivitiesImplementations(new CountingAttempts());
    }
  }

  @TempDir static Path dir;
  static DevServer server;
  static Path stateFile;

  @BeforeAll
  static void start() {
    server = DevServer.start(new SleeperSetup());
    stateFile = dir.resolve("devserver.json");
    server.writeState(stateFile);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    env.registerWorkflowImplementationTypes(SleeperImpl.class, BrokenImpl.class, FlakyImpl.class);
    env.registerActivitiesImplementations(new CountingAttempts());
    return env;
  }

  private static void assertTimedOut(WorkflowClient client, String id, WorkflowStub stub) {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(String.class));
    assertEquals(WorkflowExecutionStatus.TIMED_OUT, e.getStatus());
    TimeoutFailure cause = assertInstanceOf(TimeoutFailure.class, e.getCause());
    assertEquals(TimeoutType.START_TO_CLOSE, cause.getTimeoutType());
    assertEquals(WorkflowExecutionStatus.TIMED_OUT, client.describe(id).status());
    List<HistoryEvent> history = client.fetchHistory(id);
    assertInstanceOf(Event.WorkflowExecutionTimedOut.class, history.getLast().event(), history.toString());
    assertEquals(1, history.stream().filter(h -> h.event() instanceof Event.WorkflowExecutionTimedOut).count());
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRunStillOpenAtItsRunTimeoutTimesOut(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "run-timeout-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Sleeper", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowRunTimeout(Duration.ofSeconds(3)).build());
      stub.start(60);
      assertTimedOut(client, id, stub);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRunStillOpenAtItsExecutionTimeoutTimesOut(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "execution-timeout-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Sleeper", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowExecutionTimeout(Duration.ofHours(2)).build());
      Instant started = env.currentTime();
      stub.start(24 * 60);
      assertTimedOut(client, id, stub);
      Instant closed = client.describe(id).closeTime();
      assertFalse(closed.isBefore(started.plus(Duration.ofHours(2))), "not before its deadline: " + closed);
      assertTrue(closed.isBefore(started.plus(Duration.ofHours(24))), "before the workflow's own timer: " + closed);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRunThatClosesBeforeItsTimeoutIsNotTouchedByIt(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "in-time-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Sleeper", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowRunTimeout(Duration.ofHours(1)).build());
      stub.start(30);
      assertEquals("woke after 30", stub.getResult(String.class));
      int events = client.fetchHistory(id).size();
      env.sleep(Duration.ofHours(2));
      assertEquals(WorkflowExecutionStatus.COMPLETED, client.describe(id).status());
      assertEquals(events, client.fetchHistory(id).size());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRunWhoseTaskIsParkedStillTimesOut(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "parked-timeout-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Broken", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowRunTimeout(Duration.ofSeconds(3)).build());
      stub.start();
      assertTimedOut(client, id, stub);
      assertNull(client.describe(id).taskFailure(), "a closed run shows no task failure");
    }
  }

  private static final RetryOptions RETRY = RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(2))
      .setBackoffCoefficient(3).setMaximumInterval(Duration.ofMinutes(1)).setMaximumAttempts(4)
      .setDoNotRetry("BadInput").build();

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void timeoutsRetryOptionsAndMemoAreRecordedAndShownByDescribe(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "described-" + stack;
      Map<String, Object> memo = new LinkedHashMap<>();
      memo.put("customer", "c-1");
      memo.put("total", 42);
      memo.put("tags", List.of("a", "b"));
      Sleeper stub = client.newWorkflowStub(Sleeper.class, WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowExecutionTimeout(Duration.ofHours(2)).setWorkflowRunTimeout(Duration.ofHours(3))
          .setRetryOptions(RETRY).setMemo(memo).build());
      WorkflowClient.start(stub::sleep, 20);

      WorkflowDescription d = client.describe(id);
      assertEquals(Duration.ofHours(2), d.workflowExecutionTimeout());
      assertEquals(Duration.ofHours(2), d.workflowRunTimeout(), "a run timeout is at most the execution timeout");
      assertEquals(d.startTime().plus(Duration.ofHours(2)), d.workflowExecutionExpirationTime());
      RetryOptions r = d.retryOptions();
      assertEquals(List.of(Duration.ofSeconds(2), 3.0, Duration.ofMinutes(1), 4, List.of("BadInput")), List.of(
          r.getInitialInterval(), r.getBackoffCoefficient(), r.getMaximumInterval(), r.getMaximumAttempts(),
          r.getDoNotRetry()));
      assertEquals(Map.of("customer", "c-1", "total", 42, "tags", List.of("a", "b")), d.memo());
      assertEquals(42L, d.getMemo("total", Long.class));
      Event.WorkflowExecutionStarted started = (Event.WorkflowExecutionStarted) client.fetchHistory(id).getFirst().event();
      assertEquals(Duration.ofHours(2), started.startOptions().workflowRunTimeout());

      assertEquals("woke after 20", WorkflowStub.fromTyped(stub).getResult(String.class));
      assertEquals(memo.keySet(), client.describe(id).memo().keySet(), "a closed run still shows its memo");

      WorkflowDescription plain = describeAfterPlainStart(client, "plain-" + stack);
      assertNull(plain.workflowExecutionTimeout());
      assertNull(plain.workflowRunTimeout());
      assertNull(plain.retryOptions());
      assertEquals(Map.of(), plain.memo());
    }
  }

  private static WorkflowDescription describeAfterPlainStart(WorkflowClient client, String id) {
    client.newUntypedWorkflowStub("Sleeper", WorkflowOptions.newBuilder().setWorkflowId(id).build()).start(20);
    return client.describe(id);
  }

  /** The HTTP API and the CLI take the options at start and show them in describe, durations as ISO-8601. */
  @Test
  void overHttpAndTheCliStartOptionsAreTakenAndShown() throws Exception {
    String id = "described-http";
    HttpResponse<String> created = http("POST", "/workflows", "{\"workflowType\":\"Sleeper\",\"workflowId\":\"" + id
        + "\",\"args\":[20],\"workflowExecutionTimeout\":\"PT2H\",\"workflowRunTimeout\":\"PT1H\","
        + "\"retryOptions\":{\"initialInterval\":\"PT2S\",\"maximumAttempts\":4,\"doNotRetry\":[\"BadInput\"]},"
        + "\"memo\":{\"customer\":\"c-1\",\"total\":42}}");
    assertEquals(201, created.statusCode(), created.body());
    JsonNode d = JSON.readTree(http("GET", "/workflows/" + id, null).body());
    assertEquals("PT2H", d.path("workflowExecutionTimeout").asText(), d.toString());
    assertEquals("PT1H", d.path("workflowRunTimeout").asText());
    assertEquals("PT2S", d.path("retryOptions").path("initialInterval").asText());
    assertEquals(2.0, d.path("retryOptions").path("backoffCoefficient").asDouble());
    assertEquals("PT3M20S", d.path("retryOptions").path("maximumInterval").asText(), "100 x the initial interval");
    assertEquals(4, d.path("retryOptions").path("maximumAttempts").asInt());
    assertEquals("[\"BadInput\"]", d.path("retryOptions").path("doNotRetry").toString());
    assertEquals("{\"customer\":\"c-1\",\"total\":42}", d.path("memo").toString());

    CliRun text = cli("describe", id);
    assertEquals(0, text.rc(), text.err());
    // The text is generic: every field of the describe JSON, nested objects as k=v.
    assertTrue(text.out().matches("(?s).*workflowExecutionTimeout +PT2H\n.*"), text.out());
    assertTrue(text.out().matches("(?s).*workflowRunTimeout +PT1H\n.*"), text.out());
    assertTrue(text.out().matches("(?s).*retryOptions +initialInterval=PT2S .*maximumAttempts=4 doNotRetry=\\[\"BadInput\"\\]\n.*"),
        text.out());
    assertTrue(text.out().matches("(?s).*memo +customer=c-1 total=42\n.*"), text.out());
    CliRun json = cli("--json", "describe", id);
    assertEquals("PT1H", JSON.readTree(json.out()).path("workflowRunTimeout").asText(), json.out());

    CliRun started = cli("start", "Sleeper", "described-cli", "20", "--run-timeout", "90m", "--execution-timeout", "2h",
        "--memo", "{\"customer\":\"c-2\"}");
    assertEquals(0, started.rc(), started.err());
    WorkflowDescription fromCli = server.client().describe("described-cli");
    assertEquals(Duration.ofMinutes(90), fromCli.workflowRunTimeout());
    assertEquals(Duration.ofHours(2), fromCli.workflowExecutionTimeout());
    assertEquals(Map.of("customer", "c-2"), fromCli.memo());
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static HttpResponse<String> http(String method, String path, String body) throws Exception {
    return LocalHttp.send(server, method, path, body);
  }

  private static CliRun cli(String... args) {
    return CliRun.of(stateFile, args);
  }

  private static WorkflowOptions retrying(String id, int maximumAttempts) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).setRetryOptions(RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(1).setMaximumAttempts(maximumAttempts)
        .setDoNotRetry("Fatal").build()).build();
  }

  private static List<WorkflowExecutionInfo> runsOf(WorkflowClient client, String id) {
    return client.listExecutions(ListExecutionsRequest.all().withWorkflowType("Flaky")).stream()
        .filter(e -> e.execution().workflowId().equals(id)).toList();
  }

  /** Temporal's workflow retry: a failed run with a retry policy is followed by a new run of the id after the backoff. */
  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aFailedRunWithRetryOptionsIsRetriedAndTheResultIsTheLastAttempts(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "retried-" + stack;
      Flaky flaky = client.newWorkflowStub(Flaky.class, retrying(id, 5));
      assertEquals("succeeded on attempt 3", flaky.run(3, "Transient"));
      List<WorkflowExecutionInfo> runs = runsOf(client, id);
      assertEquals(List.of(WorkflowExecutionStatus.COMPLETED, WorkflowExecutionStatus.FAILED,
          WorkflowExecutionStatus.FAILED), runs.stream().map(WorkflowExecutionInfo::status).toList(), runs.toString());
      assertEquals(WorkflowExecutionStatus.COMPLETED, client.describe(id).status());
      Event.WorkflowExecutionStarted last = (Event.WorkflowExecutionStarted) client.fetchHistory(id).getFirst().event();
      assertEquals(3, last.startOptions().attempt());
      assertEquals(Duration.ofSeconds(1), last.startOptions().firstWorkflowTaskBackoff());
      // (The two failed runs may have started at one virtual instant in memory: no order between them.)
      WorkflowExecutionInfo retried = runs.stream().filter(r -> r.execution().runId().equals(last.continuedFromRunId()))
          .findFirst().orElseThrow(() -> new AssertionError("the retry names the run it retries"));
      assertEquals(WorkflowExecutionStatus.FAILED, retried.status());
      assertFalse(runs.get(0).startTime().isBefore(retried.closeTime()), "after the failed run closed");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void retriesStopAtMaximumAttemptsAndAtANonRetryableType(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "retried-out-" + stack;
      Flaky flaky = client.newWorkflowStub(Flaky.class, retrying(id, 2));
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> flaky.run(5, "Transient"));
      assertEquals(WorkflowExecutionStatus.FAILED, e.getStatus());
      assertTrue(e.getCause().getMessage().contains("attempt 2 failed"), e.getCause().getMessage());
      assertEquals(2, runsOf(client, id).size());

      String fatal = "not-retried-" + stack;
      Flaky once = client.newWorkflowStub(Flaky.class, retrying(fatal, 5));
      assertThrows(WorkflowFailedException.class, () -> once.run(5, "Fatal"));
      assertEquals(1, runsOf(client, fatal).size(), "a doNotRetry type ends the workflow");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRunThatHitsItsRunTimeoutIsRetriedButNotPastTheExecutionTimeout(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "run-timeout-retried-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Sleeper", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowRunTimeout(Duration.ofSeconds(2)).setWorkflowExecutionTimeout(Duration.ofSeconds(7))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(1)
              .build()).build());
      stub.start(60);
      assertTimedOut(client, id, stub);
      List<WorkflowExecutionInfo> runs = client.listExecutions(ListExecutionsRequest.all().withWorkflowType("Sleeper"))
          .stream().filter(e -> e.execution().workflowId().equals(id)).toList();
      // Runs of 2 s with 1 s between them: three fit before the execution expires at 7 s, a fourth would start after it.
      assertEquals(3, runs.size(), runs.toString());
      assertTrue(runs.stream().allMatch(r -> r.status() == WorkflowExecutionStatus.TIMED_OUT), runs.toString());
    }
  }
}
