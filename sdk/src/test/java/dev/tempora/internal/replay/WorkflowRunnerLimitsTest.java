package dev.tempora.internal.replay;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner's side of the limits, on messages and batches built by hand. */
class WorkflowRunnerLimitsTest {
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
              + "task would take the history to 5 events and 12 bytes of payloads; the limit is 4 events and 1000 bytes"),
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
