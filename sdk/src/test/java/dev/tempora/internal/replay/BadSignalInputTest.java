package dev.tempora.internal.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tempora.history.Event;
import dev.tempora.history.Payload;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A signal whose input cannot be converted to its handler's parameters (bytes sent around the
 * client's checks) is dropped with an error, as Temporal's SDK does, instead of failing every
 * workflow task of the run forever: no deployment can fix its bytes.
 */
class BadSignalInputTest {
  private static final RunKey RUN = new RunKey("default", "w", "r1");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @WorkflowInterface
  public interface Adder {
    @WorkflowMethod
    int run();

    @SignalMethod
    void add(int n);

    @QueryMethod
    int total();
  }

  public static class AdderImpl implements Adder {
    private int total;

    @Override
    public int run() {
      Workflow.await(() -> total >= 10);
      return total;
    }

    @Override
    public void add(int n) {
      total += n;
    }

    @Override
    public int total() {
      return total;
    }
  }

  @Test
  void aSignalWithUnconvertibleInputIsDroppedAndTheNextOneCounts() {
    Event.WorkflowExecutionStarted started = new Event.WorkflowExecutionStarted("Adder", "q", new Payload("[]"), 1, null);
    WorkflowImplementation impl = WorkflowImplementation.ofClass(AdderImpl.class);
    HistoryBatch first;
    HistoryBatch second;
    try (WorkflowRunner runner = new WorkflowRunner(RUN, started, impl, 5_000)) {
      first = runner.runTask(List.of(new WorkflowTaskMessage("start", RUN, started),
          signal("bad", "[\"not a number\"]")), T0);
      runner.committed(first);
      assertEquals("0", runner.query("total", new Payload("[]")).json());
      second = runner.runTask(List.of(signal("good", "[10]")), T0.plusSeconds(1));
      runner.committed(second);
      assertEquals(true, runner.isClosed(), "the good signal completed the workflow");
    }
    // The dropped signal is in history, and a replay drops it the same way.
    try (WorkflowRunner replayed = new WorkflowRunner(RUN, started, impl, 5_000)) {
      replayed.replay(List.of(first, second));
      assertEquals(true, replayed.isClosed());
    }
  }

  private static WorkflowTaskMessage signal(String id, String json) {
    return new WorkflowTaskMessage(id, RUN, new Event.WorkflowSignaled("add", new Payload(json), id));
  }
}
