package dev.tempora.testing;

import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.replay.Command;
import dev.tempora.internal.replay.WorkflowImplementation;
import dev.tempora.internal.replay.WorkflowRunner;
import dev.tempora.workflow.NonDeterministicWorkflowError;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a recorded history against workflow code, without any engine: the check to run in CI
 * before deploying changed workflow code. Throws {@link NonDeterministicWorkflowError} when the
 * code no longer produces the recorded commands.
 */
public final class WorkflowReplayer {
  private static final long DEADLOCK_MILLIS = 10_000;

  private WorkflowReplayer() {}

  public static void replayWorkflowExecution(List<HistoryEvent> history, Class<?> workflowImplementation) {
    replay(history, WorkflowImplementation.ofClass(workflowImplementation));
  }

  static void replay(List<HistoryEvent> history, WorkflowImplementation impl) {
    if (history.isEmpty() || !(history.getFirst().event() instanceof Event.WorkflowExecutionStarted started)) {
      throw new IllegalArgumentException("a history starts with WorkflowExecutionStarted");
    }
    RunKey run = new RunKey("replay", "replay", "replay");
    try (WorkflowRunner runner = new WorkflowRunner(run, started, impl, DEADLOCK_MILLIS)) {
      runner.replay(toBatches(history));
    }
  }

  /**
   * Cuts a flat history into workflow-task batches: a batch is inbound events, then
   * WorkflowTaskCompleted, then that task's command events; a batch without a task (terminate)
   * is a run of inbound events at the end.
   */
  static List<HistoryBatch> toBatches(List<HistoryEvent> history) {
    List<HistoryBatch> out = new ArrayList<>();
    List<HistoryEvent> current = new ArrayList<>();
    boolean inCommands = false;
    for (HistoryEvent e : history) {
      boolean command = Command.isCommandEvent(e.event());
      if (inCommands && !command) {
        out.add(new HistoryBatch(out.size() + 1, current, List.of()));
        current = new ArrayList<>();
        inCommands = false;
      }
      current.add(e);
      if (e.event() instanceof Event.WorkflowTaskCompleted) {
        inCommands = true;
      }
    }
    if (!current.isEmpty()) {
      out.add(new HistoryBatch(out.size() + 1, current, List.of()));
    }
    return out;
  }
}
