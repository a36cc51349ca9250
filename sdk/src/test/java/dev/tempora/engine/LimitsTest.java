package dev.tempora.engine;

import static dev.tempora.engine.Envs.env;
import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowStub;
import dev.tempora.failure.TerminatedFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.replay.WorkflowLimits;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.WorkflowReplayer;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Temporal's limits per run and per workflow task: going past a pending-operation or per-task
 * limit, or asking for a duration that cannot be scheduled, fails the workflow task with a named
 * reason (describe shows it, the run stays RUNNING, memory is not exhausted); a history past its
 * limit terminates the run; signals past the limit are not recorded.
 */
class LimitsTest {
  /** How every HistoryLimitExceeded reason ends: what to do instead. */
  static final String CONTINUE_AS_NEW_ADVICE = "; a workflow that runs this long should continue as new "
      + "(Workflow.continueAsNew) when Workflow.getInfo().isContinueAsNewSuggested() turns true, at 4000 events or "
      + "4194304 bytes";


  @ActivityInterface
  public interface Square {
    long square(long i);
  }

  private static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10)).build();

  @WorkflowInterface
  public interface Limited {
    @WorkflowMethod
    String run(long n);
  }

  /** Schedules n activities at once, each from its own Async thread, as the FanOut example does. */
  public static class FanOut implements Limited {
    private final Square square = Workflow.newActivityStub(Square.class, OPTIONS);

    @Override
    public String run(long n) {
      List<Promise<Long>> all = new ArrayList<>();
      for (long i = 1; i <= n; i++) {
        all.add(Async.function(square::square, i));
      }
      Promise.allOf(all).get();
      return "scheduled " + all.size();
    }
  }

  /** A runaway loop: Async calls without end, until something stops it; records that it was unwound. */
  public static class RunawayAsync implements Limited {
    static final AtomicBoolean unwound = new AtomicBoolean();

    @Override
    public String run(long n) {
      try {
        while (true) {
          Async.procedure(() -> {});
        }
      } finally {
        unwound.set(true);
      }
    }
  }

  /** A runaway loop that catches what stops it: its next Tempora call must park it, not let it spin. */
  public static class CatchesEverything implements Limited {
    static volatile Thread thread;

    @Override
    public String run(long n) {
      thread = Thread.currentThread();
      while (true) {
        try {
          Workflow.sideEffect(Long.class, () -> 1L);
        } catch (Throwable t) {
          // swallowed
        }
      }
    }
  }

  public static class SideEffectLoop implements Limited {
    @Override
    public String run(long n) {
      for (long i = 0; i < n; i++) {
        Workflow.sideEffect(Long.class, () -> 1L);
      }
      return "done";
    }
  }

  public static class BigInputs implements Limited {
    private final Echo echo = Workflow.newActivityStub(Echo.class, OPTIONS);

    @Override
    public String run(long n) {
      String big = "x".repeat(1_500_000);
      List<Promise<Integer>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(Async.function(echo::length, big));
      }
      return "lengths " + Promise.allOf(all).thenApply(v -> all.size()).get();
    }
  }

  @ActivityInterface
  public interface Echo {
    int length(String s);
  }

  public static class OverflowingSleep implements Limited {
    @Override
    public String run(long hours) {
      Workflow.sleep(Duration.ofHours(hours));
      return "woke";
    }
  }

  public static class OverflowingActivityTimeout implements Limited {
    @Override
    public String run(long hours) {
      Square s = Workflow.newActivityStub(Square.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(hours)).build());
      return "square " + s.square(3);
    }
  }

  /** Sleeps in a loop: 3 events per workflow task, forever. */
  public static class Ticker implements Limited {
    @Override
    public String run(long payloadChars) {
      while (true) {
        if (payloadChars > 0) {
          Workflow.sideEffect(String.class, () -> "x".repeat((int) payloadChars));
        }
        Workflow.sleep(Duration.ofSeconds(1));
      }
    }
  }

  /** Each task records {@code perTask} markers and sleeps, forever. */
  public static class MarkerTicker implements Limited {
    @Override
    public String run(long perTask) {
      while (true) {
        for (int i = 0; i < perTask; i++) {
          Workflow.sideEffect(Integer.class, () -> 1);
        }
        Workflow.sleep(Duration.ofSeconds(1));
      }
    }
  }

  /** Each task records three 1 MB markers and sleeps, forever. */
  public static class BigMarkerTicker implements Limited {
    @Override
    public String run(long n) {
      while (true) {
        for (int i = 0; i < 3; i++) {
          Workflow.sideEffect(String.class, () -> "y".repeat(1_000_000));
        }
        Workflow.sleep(Duration.ofSeconds(1));
      }
    }
  }

  @WorkflowInterface
  public interface Inbox {
    @WorkflowMethod
    int collect();

    @SignalMethod
    void add(String item);
  }

  public static class InboxImpl implements Inbox {
    private final List<String> items = new ArrayList<>();

    @Override
    public int collect() {
      Workflow.await(Duration.ofHours(1), () -> items.size() >= 5);
      return items.size();
    }

    @Override
    public void add(String item) {
      items.add(item);
    }
  }

  private static TestWorkflowEnvironment envWith(Class<?> workflow) {
    TestWorkflowEnvironment env = env();
    env.registerWorkflowImplementationTypes(workflow);
    env.registerActivitiesImplementations((Square) i -> i * i, (Echo) String::length);
    return env;
  }

  /** Starts the workflow and returns its task failure, asserting that the run is still RUNNING. */
  private static String taskFailureOf(TestWorkflowEnvironment env, String workflowId, long arg) {
    WorkflowClient c = env.getWorkflowClient();
    c.newUntypedWorkflowStub("Limited", id(workflowId)).start(arg);
    WorkflowDescription d = c.describe(workflowId);
    assertEquals(WorkflowExecutionStatus.RUNNING, d.status());
    assertNotNull(d.taskFailure(), "the workflow task failed");
    return d.taskFailure();
  }

  /** The reason of the run's termination, checked to be what the result said too. */
  private static String terminationReason(WorkflowClient c, String workflowId, WorkflowFailedException e) {
    assertEquals(WorkflowExecutionStatus.TERMINATED, c.describe(workflowId).status());
    Event last = c.fetchHistory(workflowId).getLast().event();
    String reason = assertInstanceOf(Event.WorkflowExecutionTerminated.class, last).reason();
    assertEquals("terminated: " + reason, assertInstanceOf(TerminatedFailure.class, e.getCause()).getMessage());
    return reason;
  }

  // ---------------------------------------------------------------- pending activities

  @Test
  void the2001stPendingActivityFailsTheWorkflowTask() {
    try (TestWorkflowEnvironment env = envWith(FanOut.class)) {
      String failure = taskFailureOf(env, "fan-2001", 2001);
      assertEquals("PendingActivitiesLimitExceeded: workflow scheduled 2001 pending activities; the limit is 2000",
          failure);
      assertEquals(0, env.getWorkflowClient().describe("fan-2001").historyLength(), "nothing was committed");
    }
  }

  @Test
  void activitiesUpToTheLimitRunAndOneMoreFailsTheTask() {
    try (WorkflowLimits.Scope s = WorkflowLimits.override(WorkflowLimits.DEFAULTS.withPendingActivities(3));
        TestWorkflowEnvironment env = envWith(FanOut.class)) {
      WorkflowClient c = env.getWorkflowClient();
      assertEquals("scheduled 3", c.newWorkflowStub(Limited.class, id("fan-3")).run(3));
      assertEquals("PendingActivitiesLimitExceeded: workflow scheduled 4 pending activities; the limit is 3",
          taskFailureOf(env, "fan-4", 4));
    }
  }

  // ---------------------------------------------------------------- runaway loops

  @Test
  void aRunawayAsyncLoopFailsTheTaskAndIsUnwound() {
    RunawayAsync.unwound.set(false);
    try (TestWorkflowEnvironment env = envWith(RunawayAsync.class)) {
      String failure = taskFailureOf(env, "runaway", 0);
      assertEquals("WorkflowThreadsLimitExceeded: workflow code started 10001 Async threads that have not ended; "
          + "the limit is 10000", failure);
      assertTrue(RunawayAsync.unwound.get(), "the workflow thread was unwound, not left looping");
    }
  }

  @Test
  void aLoopThatCatchesTheLimitErrorIsParkedNotLeftSpinning() throws InterruptedException {
    try (TestWorkflowEnvironment env = envWith(CatchesEverything.class)) {
      String failure = taskFailureOf(env, "catcher", 0);
      assertTrue(failure.startsWith("CommandsPerTaskLimitExceeded: "), failure);
      Thread t = CatchesEverything.thread;
      // It parks on its next call after the runner is discarded; wait for that, however slow the machine.
      for (int i = 0; i < 1_000 && t.getState() != Thread.State.WAITING; i++) {
        Thread.sleep(10);
      }
      assertEquals(Thread.State.WAITING, t.getState(), "the workflow thread is parked, not looping");
    }
  }

  @Test
  void moreCommandsThanTheCapFailTheTask() {
    try (TestWorkflowEnvironment env = envWith(SideEffectLoop.class)) {
      // 9,999 markers and the completion: 10,000 commands.
      assertEquals("done", env.getWorkflowClient().newWorkflowStub(Limited.class, id("cap")).run(9_999));
      assertEquals("CommandsPerTaskLimitExceeded: workflow code produced 10001 commands in one workflow task; "
          + "the limit is 10000", taskFailureOf(env, "over-cap", 1_000_000_000L));
    }
  }

  @Test
  void commandPayloadsOverFourMegabytesInOneTaskFailTheTask() {
    try (TestWorkflowEnvironment env = envWith(BigInputs.class)) {
      assertEquals("lengths 2", env.getWorkflowClient().newWorkflowStub(Limited.class, id("two")).run(2));
      String failure = taskFailureOf(env, "three", 3);
      assertTrue(failure.startsWith("TaskPayloadLimitExceeded: the commands of one workflow task carry "), failure);
      assertTrue(failure.endsWith("bytes of payloads; the limit is 4194304"), failure);
    }
  }

  // ---------------------------------------------------------------- durations

  @Test
  void aSleepWhoseFireTimeOverflowsFailsTheTaskWithInvalidDuration() {
    try (TestWorkflowEnvironment env = envWith(OverflowingSleep.class)) {
      String failure = taskFailureOf(env, "overflow", 2562047788015215L);
      assertTrue(failure.startsWith("InvalidDuration: timer of PT2562047788015215H from 2026-01-01T00:00:00Z ends after "
          + "9999-12-31T23:59:59Z"), failure);
    }
  }

  @Test
  void aSleepPastTheYear9999FailsTheTaskWithInvalidDuration() {
    try (TestWorkflowEnvironment env = envWith(OverflowingSleep.class)) {
      String failure = taskFailureOf(env, "far", 24L * 365 * 8000);
      assertTrue(failure.startsWith("InvalidDuration: timer of PT70080000H"), failure);
    }
  }

  @Test
  void anActivityTimeoutThatOverflowsFailsTheTaskWithInvalidDuration() {
    try (TestWorkflowEnvironment env = envWith(OverflowingActivityTimeout.class)) {
      String failure = taskFailureOf(env, "timeout", 2562047788015215L);
      assertTrue(failure.startsWith("InvalidDuration: activity Square startToCloseTimeout of PT2562047788015215H"),
          failure);
    }
  }

  // ---------------------------------------------------------------- history

  @Test
  void aHistoryPastItsEventLimitTerminatesTheRun() {
    try (WorkflowLimits.Scope s = WorkflowLimits.override(WorkflowLimits.DEFAULTS.withHistory(30, 50L << 20));
        TestWorkflowEnvironment env = envWith(Ticker.class)) {
      WorkflowClient c = env.getWorkflowClient();
      WorkflowStub stub = c.newUntypedWorkflowStub("Limited", id("ticker"));
      stub.start(0L);
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(String.class));
      String reason = terminationReason(c, "ticker", e);
      // 10 tasks of 3 events each make 30; the 11th's fired timer and WorkflowTaskCompleted alone make 32.
      assertEquals("HistoryLimitExceeded: this workflow task would take the history to 32 events and 3 bytes of "
          + "payloads; the limit is 30 events and 52428800 bytes" + CONTINUE_AS_NEW_ADVICE, reason);
      List<HistoryEvent> history = c.fetchHistory("ticker");
      assertEquals(32, history.size(), "the fired timer and the termination after the 30 events");
      assertInstanceOf(Event.TimerFired.class, history.get(30).event());
    }
  }

  @Test
  void coldRunnersCountTheHistoryAsWarmOnesDoAndATerminatedHistoryReplays() {
    try (WorkflowLimits.Scope s = WorkflowLimits.override(WorkflowLimits.DEFAULTS.withHistory(30, 50L << 20));
        TestWorkflowEnvironment env = env(0)) {
      env.registerWorkflowImplementationTypes(Ticker.class);
      WorkflowClient c = env.getWorkflowClient();
      WorkflowStub stub = c.newUntypedWorkflowStub("Limited", id("cold"));
      stub.start(0L);
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(String.class));
      assertTrue(terminationReason(c, "cold", e).startsWith("HistoryLimitExceeded: this workflow task would take the "
          + "history to 32 events"));
      List<HistoryEvent> history = c.fetchHistory("cold");
      assertEquals(32, history.size());
      WorkflowReplayer.replayWorkflowExecution(history, Ticker.class);
    }
  }

  @Test
  void aHistoryPastItsSizeLimitTerminatesTheRun() {
    try (WorkflowLimits.Scope s = WorkflowLimits.override(WorkflowLimits.DEFAULTS.withHistory(51_200, 20_000));
        TestWorkflowEnvironment env = envWith(Ticker.class)) {
      WorkflowClient c = env.getWorkflowClient();
      WorkflowStub stub = c.newUntypedWorkflowStub("Limited", id("fat"));
      stub.start(3_000L);
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(String.class));
      String reason = terminationReason(c, "fat", e);
      assertEquals("HistoryLimitExceeded: this workflow task would take the history to 28 events and 21020 bytes of "
          + "payloads; the limit is 51200 events and 20000 bytes" + CONTINUE_AS_NEW_ADVICE, reason);
      long markers = c.fetchHistory("fat").stream().filter(h -> h.event() instanceof Event.MarkerRecorded).count();
      assertEquals(6, markers, "6 markers of 3,002 bytes fit in 20,000 bytes (with the input, [3000]), a 7th does not");
    }
  }

  @Test
  void theDefaultEventLimitTerminatesAt51200Events() {
    try (TestWorkflowEnvironment env = envWith(MarkerTicker.class)) {
      WorkflowClient c = env.getWorkflowClient();
      WorkflowStub stub = c.newUntypedWorkflowStub("Limited", id("long"));
      stub.start(9_000L);
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(String.class));
      String reason = terminationReason(c, "long", e);
      // Tasks of 9,003 events: 5 make 45,015; a 6th would make 54,018. The run ends with the
      // fired timer and the termination.
      assertTrue(reason.startsWith("HistoryLimitExceeded: this workflow task would take the history to 54018 events"),
          reason);
      assertEquals(45_017, c.fetchHistory("long").size());
    }
  }

  @Test
  void theDefaultSizeLimitTerminatesAt50Megabytes() {
    try (TestWorkflowEnvironment env = envWith(BigMarkerTicker.class)) {
      WorkflowClient c = env.getWorkflowClient();
      WorkflowStub stub = c.newUntypedWorkflowStub("Limited", id("big"));
      stub.start(0L);
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(String.class));
      String reason = terminationReason(c, "big", e);
      assertTrue(reason.startsWith("HistoryLimitExceeded: "), reason);
      assertTrue(reason.endsWith("; the limit is 51200 events and 52428800 bytes" + CONTINUE_AS_NEW_ADVICE), reason);
      long markers = c.fetchHistory("big").stream().filter(h -> h.event() instanceof Event.MarkerRecorded).count();
      assertEquals(51, markers, "17 tasks of three 1,000,002-byte markers fit in 50 MB, an 18th does not");
    }
  }

  // ---------------------------------------------------------------- signals

  @Test
  void signalsPastTheLimitAreNotRecorded() {
    try (WorkflowLimits.Scope s = WorkflowLimits.override(WorkflowLimits.DEFAULTS.withSignalsReceived(3));
        TestWorkflowEnvironment env = env()) {
      env.registerWorkflowImplementationTypes(InboxImpl.class);
      WorkflowClient c = env.getWorkflowClient();
      Inbox inbox = c.newWorkflowStub(Inbox.class, id("inbox"));
      WorkflowClient.start(inbox::collect);
      for (int i = 0; i < 5; i++) {
        inbox.add("item " + i);
      }
      assertEquals(3, c.newUntypedWorkflowStub("inbox").getResult(Integer.class));
      assertEquals(3, c.fetchHistory("inbox").stream().filter(h -> h.event() instanceof Event.WorkflowSignaled).count());
    }
  }
}
