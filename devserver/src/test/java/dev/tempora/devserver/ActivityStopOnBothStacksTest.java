package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityCancellationType;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.CancellationScope;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10, differences 5 and 7 and the activity cancellation types, on both stacks: after a
 * terminate no new attempt of an activity starts and the running one learns of it at its next
 * heartbeat; a cancelled activity's delayed retry does not run; TRY_CANCEL, WAIT_CANCELLATION_COMPLETED
 * and ABANDON behave as in Temporal; a result over the payload limit fails the activity at once,
 * non-retryable. On the embedded stack the real client is used (it does not wait for activities).
 */
class ActivityStopOnBothStacksTest {
  private static final Duration RESULT = Duration.ofSeconds(30);

  /** Per workflow id (unique per test and stack): what its activities did. */
  static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  static final Map<String, String> heartbeaterStarted = new ConcurrentHashMap<>();
  static final Map<String, String> heartbeaterEnded = new ConcurrentHashMap<>();

  @ActivityInterface
  public interface Steps {
    String failAlways();

    /** Heartbeats every 50 ms for up to {@code seconds}; "canceled" if a heartbeat said so. */
    String heartbeat(int seconds);

    String hugeResult();

    String after();
  }

  public static class StepsImpl implements Steps {
    private static String workflowId() {
      return Activity.getExecutionContext().getInfo().workflowId();
    }

    @Override
    public String failAlways() {
      attempts.computeIfAbsent(workflowId(), k -> new AtomicInteger()).incrementAndGet();
      throw ApplicationFailure.newFailure("always fails", "Flaky");
    }

    @Override
    public String heartbeat(int seconds) {
      String id = workflowId();
      heartbeaterStarted.put(id, "yes");
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      try {
        while (System.nanoTime() < end) {
          Activity.getExecutionContext().heartbeat(null);
          Thread.sleep(50);
        }
      } catch (CanceledFailure e) {
        heartbeaterEnded.put(id, "canceled");
        throw e;
      } catch (InterruptedException e) {
        heartbeaterEnded.put(id, "interrupted");
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      heartbeaterEnded.put(id, "finished");
      return "finished";
    }

    @Override
    public String hugeResult() {
      attempts.computeIfAbsent(workflowId(), k -> new AtomicInteger()).incrementAndGet();
      return "x".repeat(3 * 1024 * 1024);
    }

    @Override
    public String after() {
      return "after";
    }
  }

  @WorkflowInterface
  public interface Retrying {
    /** "terminate": waits for the failing activity; "cancel": cancels it on a signal and stays open. */
    @WorkflowMethod
    String run(String mode);

    @SignalMethod
    void cancelActivity();

    @SignalMethod
    void finish();
  }

  public static class RetryingImpl implements Retrying {
    private final Steps steps = Workflow.newActivityStub(Steps.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(2)).setBackoffCoefficient(1)
            .build())
        .build());
    private boolean cancel;
    private boolean finish;

    @Override
    public String run(String mode) {
      if (mode.equals("terminate")) {
        return steps.failAlways();
      }
      Promise<String>[] p = newPromiseArray();
      CancellationScope scope = Workflow.newCancellationScope(() -> p[0] = Async.function(steps::failAlways));
      scope.run();
      Workflow.await(() -> cancel);
      scope.cancel();
      try {
        p[0].get();
      } catch (ActivityFailure e) {
        // expected: canceled
      }
      Workflow.await(() -> finish);
      return "done";
    }

    @Override
    public void cancelActivity() {
      cancel = true;
    }

    @Override
    public void finish() {
      finish = true;
    }
  }

  @WorkflowInterface
  public interface Heartbeating {
    /**
     * "terminate": runs the heartbeating activity; otherwise the cancellation type of an activity
     * cancelled on a signal, after which the workflow runs {@code after} and returns how it ended.
     */
    @WorkflowMethod
    String run(String mode, int seconds);

    @SignalMethod
    void cancelActivity();

    @SignalMethod
    void finish();
  }

  public static class HeartbeatingImpl implements Heartbeating {
    private boolean cancel;
    private boolean finish;

    @Override
    public String run(String mode, int seconds) {
      ActivityOptions.Builder options = ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(60))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build());
      if (mode.equals("terminate")) {
        return Workflow.newActivityStub(Steps.class, options.build()).heartbeat(seconds);
      }
      Steps steps = Workflow.newActivityStub(Steps.class,
          options.setCancellationType(ActivityCancellationType.valueOf(mode)).build());
      Promise<String>[] p = newPromiseArray();
      CancellationScope scope = Workflow.newCancellationScope(() -> p[0] = Async.function(steps::heartbeat, seconds));
      scope.run();
      Workflow.await(() -> cancel);
      scope.cancel();
      String outcome;
      try {
        outcome = p[0].get();
      } catch (ActivityFailure e) {
        outcome = "failed: " + e.getCause().getClass().getSimpleName();
      }
      Workflow.newActivityStub(Steps.class, options.build()).after();
      if (mode.equals("ABANDON")) {
        // Open until told: a closed run would stop the abandoned activity at its next heartbeat.
        Workflow.await(() -> finish);
      }
      return outcome;
    }

    @Override
    public void cancelActivity() {
      cancel = true;
    }

    @Override
    public void finish() {
      finish = true;
    }
  }

  @WorkflowInterface
  public interface Huge {
    @WorkflowMethod
    String run();
  }

  public static class HugeImpl implements Huge {
    @Override
    public String run() {
      Steps steps = Workflow.newActivityStub(Steps.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(100)).setMaximumAttempts(3)
              .build())
          .build());
      try {
        return steps.hugeResult().length() + " chars";
      } catch (ActivityFailure e) {
        ApplicationFailure cause = (ApplicationFailure) e.getCause();
        return cause.getType() + (cause.isNonRetryable() ? " non-retryable" : " retryable") + " after attempt "
            + e.getAttempt() + ": " + cause.getOriginalMessage();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Promise<String>[] newPromiseArray() {
    return new Promise[1];
  }

  /** A stack under test: its client, and how time passes on it. */
  private interface Stack extends AutoCloseable {
    WorkflowClient client();

    /** Lets {@code d} pass: virtual time in memory (due retries run), real time on the embedded stack. */
    void pass(Duration d);

    @Override
    void close();
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(worker -> {
      worker.registerWorkflowImplementationTypes(RetryingImpl.class, HeartbeatingImpl.class, HugeImpl.class);
      worker.registerActivitiesImplementations(new StepsImpl());
    });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Stack stack(String name) {
    if (name.equals("in-memory")) {
      TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
          .setStartTime(Instant.parse("2026-01-01T00:00:00Z")).build());
      env.registerWorkflowImplementationTypes(RetryingImpl.class, HeartbeatingImpl.class, HugeImpl.class);
      env.registerActivitiesImplementations(new StepsImpl());
      return new Stack() {
        public WorkflowClient client() { return env.getWorkflowClient(); }
        public void pass(Duration d) { env.sleep(d); }
        public void close() { env.close(); }
      };
    }
    return new Stack() {
      public WorkflowClient client() { return server.client(); }
      public void pass(Duration d) {
        try {
          Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      public void close() {}
    };
  }

  private static WorkflowStub start(Stack s, String type, String id, Object... args) {
    WorkflowStub stub = s.client().newUntypedWorkflowStub(type, WorkflowOptions.newBuilder().setWorkflowId(id).build());
    stub.start(args);
    return stub;
  }

  private static int attemptsOf(String id) {
    AtomicInteger n = attempts.get(id);
    return n == null ? 0 : n.get();
  }

  private static List<Event> events(Stack s, String id) {
    return s.client().fetchHistory(id).stream().map(HistoryEvent::event).toList();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void afterATerminateNoNewAttemptOfTheActivityStarts(String name) {
    try (Stack s = stack(name)) {
      String id = "terminate-retries-" + name;
      WorkflowStub stub = start(s, "Retrying", id, "terminate");
      TestAws.await("the first attempt ran", RESULT, () -> attemptsOf(id) >= 1);
      stub.terminate("stop it");
      int atTerminate = attemptsOf(id);
      s.pass(Duration.ofSeconds(7)); // three retry intervals
      // An attempt already claimed when the terminate landed may still run; none after it.
      assertTrue(attemptsOf(id) <= atTerminate + 1,
          "attempts after the terminate: " + (attemptsOf(id) - atTerminate) + " (at terminate " + atTerminate + ")");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void afterATerminateTheRunningAttemptLearnsItAtItsNextHeartbeat(String name) {
    try (Stack s = stack(name)) {
      String id = "terminate-heartbeat-" + name;
      WorkflowStub stub = start(s, "Heartbeating", id, "terminate", 20);
      TestAws.await("the activity runs", RESULT, () -> heartbeaterStarted.containsKey(id));
      stub.terminate("stop it");
      TestAws.await("the activity learned of the terminate", Duration.ofSeconds(10),
          () -> heartbeaterEnded.containsKey(id));
      assertEquals("canceled", heartbeaterEnded.get(id));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aCancelledActivitysDelayedRetryDoesNotRun(String name) {
    try (Stack s = stack(name)) {
      String id = "cancel-retries-" + name;
      WorkflowStub stub = start(s, "Retrying", id, "cancel");
      TestAws.await("the first attempt ran", RESULT, () -> attemptsOf(id) >= 1);
      stub.signal("cancelActivity");
      TestAws.await("the cancel request recorded", RESULT,
          () -> events(s, id).stream().anyMatch(e -> e instanceof Event.ActivityTaskCancelRequested));
      int atCancel = attemptsOf(id);
      s.pass(Duration.ofSeconds(7));
      assertTrue(attemptsOf(id) <= atCancel + 1,
          "attempts after the cancel: " + (attemptsOf(id) - atCancel) + " (at cancel " + atCancel + ")");
      stub.signal("finish");
      assertEquals("done", stub.getResult(RESULT, String.class));
    }
  }

  /** Seq of the first activity, and whether each of the events of interest came before "after" was scheduled. */
  private static String cancellationStory(List<Event> history) {
    StringBuilder out = new StringBuilder();
    for (Event e : history) {
      switch (e) {
        case Event.ActivityTaskScheduled a -> out.append("scheduled ").append(a.activityType()).append("; ");
        case Event.ActivityTaskCancelRequested c -> out.append("cancel requested; ");
        case Event.ActivityTaskCanceled c -> out.append("canceled; ");
        case Event.ActivityTaskCompleted c -> out.append("completed; ");
        default -> { }
      }
    }
    return out.toString().trim();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void tryCancelFailsThePromiseAtOnceAndTheActivityLearnsAtItsHeartbeat(String name) {
    try (Stack s = stack(name)) {
      String id = "try-cancel-" + name;
      WorkflowStub stub = start(s, "Heartbeating", id, "TRY_CANCEL", 20);
      TestAws.await("the activity runs", RESULT, () -> heartbeaterStarted.containsKey(id));
      stub.signal("cancelActivity");
      assertEquals("failed: CanceledFailure", stub.getResult(RESULT, String.class));
      String story = cancellationStory(events(s, id));
      assertTrue(story.startsWith("scheduled Heartbeat; cancel requested; scheduled After;"), story);
      TestAws.await("the activity learned of the cancel", Duration.ofSeconds(10), () -> heartbeaterEnded.containsKey(id));
      assertEquals("canceled", heartbeaterEnded.get(id));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void waitCancellationCompletedWaitsForTheActivityToAcknowledge(String name) {
    try (Stack s = stack(name)) {
      String id = "wait-cancel-" + name;
      WorkflowStub stub = start(s, "Heartbeating", id, "WAIT_CANCELLATION_COMPLETED", 20);
      TestAws.await("the activity runs", RESULT, () -> heartbeaterStarted.containsKey(id));
      stub.signal("cancelActivity");
      assertEquals("failed: CanceledFailure", stub.getResult(RESULT, String.class));
      assertEquals("canceled", heartbeaterEnded.get(id), "the activity ended before the workflow went on");
      String story = cancellationStory(events(s, id));
      assertTrue(story.startsWith("scheduled Heartbeat; cancel requested; canceled; scheduled After;"), story);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void abandonFailsThePromiseAtOnceWithoutRequestingCancellation(String name) {
    try (Stack s = stack(name)) {
      String id = "abandon-" + name;
      WorkflowStub stub = start(s, "Heartbeating", id, "ABANDON", 2);
      TestAws.await("the activity runs", RESULT, () -> heartbeaterStarted.containsKey(id));
      stub.signal("cancelActivity");
      TestAws.await("the abandoned activity ran to its end", Duration.ofSeconds(10),
          () -> heartbeaterEnded.containsKey(id));
      assertEquals("finished", heartbeaterEnded.get(id), "nobody asked the activity to stop");
      stub.signal("finish");
      assertEquals("failed: CanceledFailure", stub.getResult(RESULT, String.class));
      String story = cancellationStory(events(s, id));
      assertTrue(story.startsWith("scheduled Heartbeat; scheduled After;"), story);
      assertFalse(story.contains("cancel requested"), story);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aResultOverThePayloadLimitFailsTheActivityAtOnceNonRetryable(String name) {
    try (Stack s = stack(name)) {
      String id = "huge-result-" + name;
      String outcome = start(s, "Huge", id).getResult(RESULT, String.class);
      assertTrue(outcome.startsWith("PayloadTooLarge non-retryable after attempt 1: "), outcome);
      assertTrue(outcome.contains("PayloadTooLargeException") || outcome.contains("payload limit"), outcome);
      assertEquals(1, attemptsOf(id));
    }
  }
}
