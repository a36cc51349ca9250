package dev.tempora.internal.replay;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner's side of the limits, on messages and batches built by hand. */
class WorkflowRunnerLimitsTest {
  /** How every HistoryLimitExceeded reason ends: what to do instead. */
  static final String CONTINUE_AS_NEW_ADVICE = "; a workflow that runs this long should continue as new "
      + "(Workflow.continueAsNew) when Workflow.getInfo().isContinueAsNewSuggested() turns true, at 4000 events or "
      + "4194304 bytes";

  private static final RunKey RUN = new RunKey("default", "w", "r1");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Event.WorkflowExecutionStarted STARTED =
      new Event.WorkflowExecutionStarted("Counter", "q", new Payload("[]"), 42, null);

  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    int count();

    @SignalMethod
    void add();
  }

  public static class CounterImpl implements Counter {
    private int n;

    @Override
    public int count() {
      Workflow.await(() -> false);
      return n;
    }

    @Override
    public void add() {
      n++;
    }
  }

  @ActivityInterface
  public interface Noop {
    void noop(int i);
  }

  @WorkflowInterface
  public interface Busy {
    @WorkflowMethod
    int run(int n);

    @SignalMethod
    void again();
  }

  /** n markers and n activities in its first task; n more markers once signalled. */
  public static class BusyImpl implements Busy {
    private final Noop noop = Workflow.newActivityStub(Noop.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());
    private boolean again;

    @Override
    public int run(int n) {
      for (int i = 0; i < n; i++) {
        Workflow.sideEffect(Integer.class, () -> 1);
        Async.procedure(noop::noop, i);
      }
      Workflow.await(() -> again);
      for (int i = 0; i < n; i++) {
        Workflow.sideEffect(Integer.class, () -> 2);
      }
      return n;
    }

    @Override
    public void again() {
      again = true;
    }
  }

  private static WorkflowRunner runner(WorkflowLimits limits) {
    return new WorkflowRunner(RUN, null, STARTED, WorkflowImplementation.ofClass(CounterImpl.class), 5_000, limits);
  }

  private static WorkflowTaskMessage start() {
    return new WorkflowTaskMessage("start", RUN, STARTED);
  }

  private static WorkflowTaskMessage signal(int i) {
    return new WorkflowTaskMessage("signal-" + i, RUN, new Event.WorkflowSignaled("add", new Payload("[]"), "req-" + i));
  }

  @Test
  void signalsPastTheDefaultLimitAreDroppedFromATaskAndRefusedAfterwards() {
    try (WorkflowRunner runner = runner(WorkflowLimits.DEFAULTS)) {
      List<WorkflowTaskMessage> messages = new ArrayList<>();
      messages.add(start());
      for (int i = 1; i <= 10_001; i++) {
        messages.add(signal(i));
      }
      HistoryBatch b = runner.runTask(messages, T0);
      runner.committed(b);
      assertEquals(10_000, b.events().stream().filter(e -> e.event() instanceof Event.WorkflowSignaled).count());
      assertFalse(b.messageIds().contains("signal-10001"), "the dropped signal is not recorded as consumed");
      assertEquals(10_000, runner.signalsReceived());
      assertFalse(runner.accepts(signal(10_002)), "signal 10,002 is refused");
    }
  }

  @Test
  void theSignalLimitCountsReplayedSignals() {
    WorkflowLimits two = WorkflowLimits.DEFAULTS.withSignalsReceived(2);
    HistoryBatch recorded;
    try (WorkflowRunner first = runner(two)) {
      recorded = first.runTask(List.of(start(), signal(1), signal(2)), T0);
    }
    try (WorkflowRunner cold = runner(two)) {
      assertTrue(cold.accepts(signal(3)), "before replay the run has received nothing");
      cold.replay(List.of(recorded));
      assertEquals(2, cold.signalsReceived());
      assertFalse(cold.accepts(signal(3)));
    }
  }

  @Test
  void aBatchRecordedUnderHigherLimitsReplaysButNewTasksKeepToTodaysLimits() {
    Event.WorkflowExecutionStarted started = new Event.WorkflowExecutionStarted("Busy", "q", new Payload("[50]"), 1, null);
    WorkflowImplementation impl = WorkflowImplementation.ofClass(BusyImpl.class);
    HistoryBatch recorded;
    try (WorkflowRunner then = new WorkflowRunner(RUN, null, started, impl, 5_000, WorkflowLimits.DEFAULTS)) {
      recorded = then.runTask(List.of(new WorkflowTaskMessage("start", RUN, started)), T0);
    }
    assertEquals(102, recorded.events().size(), "start, task completed, 50 markers and 50 activities");
    WorkflowLimits lower = WorkflowLimits.DEFAULTS.withCommandsPerTask(10).withPendingActivities(5);
    try (WorkflowRunner now = new WorkflowRunner(RUN, null, started, impl, 5_000, lower)) {
      now.replay(List.of(recorded));
      WorkflowTaskMessage again = new WorkflowTaskMessage("again", RUN,
          new Event.WorkflowSignaled("again", new Payload("[]"), "req"));
      WorkflowTaskFailedException e = assertThrows(WorkflowTaskFailedException.class,
          () -> now.runTask(List.of(again), T0.plusSeconds(1)));
      assertEquals("CommandsPerTaskLimitExceeded: workflow code produced 11 commands in one workflow task; the limit is 10",
          e.getMessage());
    }
  }

  @Test
  void anEventTheCodeCannotApplyFailsTheTaskInsteadOfThrowingABareException() {
    try (WorkflowRunner runner = runner(WorkflowLimits.DEFAULTS)) {
      WorkflowTaskMessage odd = new WorkflowTaskMessage("odd", RUN, new Event.WorkflowExecutionCanceled());
      WorkflowTaskFailedException e = assertThrows(WorkflowTaskFailedException.class,
          () -> runner.runTask(List.of(start(), odd), T0));
      assertTrue(e.getMessage().startsWith("WorkflowTaskError: the workflow task of Counter failed: "
          + "java.lang.IllegalArgumentException: not an inbound event"), e.getMessage());
    }
  }

  @Test
  void aRecordedBatchTheCodeCannotApplyFailsTheReplayInsteadOfThrowingABareException() {
    HistoryBatch bad = new HistoryBatch(1, List.of(
        new HistoryEvent(1, T0, STARTED),
        new HistoryEvent(2, T0, new Event.WorkflowExecutionCanceled()),
        new HistoryEvent(3, T0, new Event.WorkflowTaskCompleted())), List.of());
    try (WorkflowRunner runner = runner(WorkflowLimits.DEFAULTS)) {
      WorkflowTaskFailedException e = assertThrows(WorkflowTaskFailedException.class, () -> runner.replay(List.of(bad)));
      assertTrue(e.getMessage().startsWith("WorkflowTaskError: "), e.getMessage());
    }
  }

  @Test
  void aTerminatingBatchClosesTheRunnerAndReplaysAsATermination() {
    WorkflowLimits small = WorkflowLimits.DEFAULTS.withHistory(4, 1_000);
    List<HistoryBatch> history = new ArrayList<>();
    try (WorkflowRunner runner = runner(small)) {
      HistoryBatch first = runner.runTask(List.of(start(), signal(1)), T0); // 3 events
      runner.committed(first);
      history.add(first);
      HistoryBatch second = runner.runTask(List.of(signal(2)), T0.plusSeconds(1));
      assertEquals(List.of("WorkflowSignaled add []", "WorkflowExecutionTerminated HistoryLimitExceeded: this workflow "
              + "task would take the history to 5 events and 12 bytes of payloads; the limit is 4 events and 1000 bytes" + CONTINUE_AS_NEW_ADVICE),
          second.events().stream().map(e -> e.event().describe()).toList());
      assertEquals(List.of("signal-2"), second.messageIds());
      assertFalse(runner.isClosed(), "not before the batch is committed");
      runner.committed(second);
      assertTrue(runner.isClosed());
      history.add(second);
    }
    try (WorkflowRunner cold = runner(small)) {
      cold.replay(history);
      assertTrue(cold.isClosed());
      assertEquals(5, cold.lastEventId());
    }
  }

  @Test
  void theHistorySizeIsTheSumOfPayloadsOverEveryBatch() {
    try (WorkflowRunner runner = runner(WorkflowLimits.DEFAULTS)) {
      HistoryBatch b = runner.runTask(List.of(start(), signal(1)), T0);
      runner.committed(b);
      // [] input, "add" and [] of the signal
      assertEquals(2 + 3 + 2, runner.historyBytes());
    }
  }
}
