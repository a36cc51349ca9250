package dev.tempora.internal.coordinator;

import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.ParentExecution;
import dev.tempora.internal.history.RunIds;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.workflow.ParentClosePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ties a child run to its parent: the child's run id (fixed by the parent's run and command,
 * so the child's start is idempotent across re-dispatches), its close as a message to the parent,
 * and the parent close policy applied to the children still open when the parent closes.
 */
public final class ChildRelations {
  private static final Logger log = LoggerFactory.getLogger(ChildRelations.class);

  private ChildRelations() {}

  /** The run id of the child started by command {@code seq} of {@code parent}. */
  public static String childRunId(RunKey parent, long seq) {
    return RunIds.child(parent.runId(), seq);
  }

  /** The message id of the child's start outcome (started, or failed to start) in the parent's queue. */
  public static String startOutcomeId(RunKey parent, long seq) {
    return parent.runId() + "/child/" + seq + "/start";
  }

  /** The request id of signal or cancel command {@code seq} of {@code run}: a re-send is the same request. */
  public static String requestId(RunKey run, long seq) {
    return run.runId() + "/x/" + seq;
  }

  /**
   * The message that tells the parent of a child run how it closed, or null if the run has no
   * parent (or the event does not close it).
   */
  public static WorkflowTaskMessage closeToParent(Event.WorkflowExecutionStarted start, Event closing) {
    ParentExecution p = start == null ? null : start.parent();
    if (p == null) {
      return null;
    }
    long seq = p.seq();
    Event toParent = switch (closing) {
      case Event.WorkflowExecutionCompleted c -> new Event.ChildWorkflowExecutionCompleted(seq, c.result());
      case Event.WorkflowExecutionFailed f -> new Event.ChildWorkflowExecutionFailed(seq, f.failure());
      case Event.WorkflowExecutionCanceled c -> new Event.ChildWorkflowExecutionCanceled(seq);
      case Event.WorkflowExecutionTimedOut t -> new Event.ChildWorkflowExecutionTimedOut(seq);
      case Event.WorkflowExecutionTerminated t -> new Event.ChildWorkflowExecutionTerminated(seq, t.reason());
      default -> null;
    };
    if (toParent == null) {
      return null;
    }
    RunKey parent = new RunKey(p.namespace(), p.workflowId(), p.runId());
    return new WorkflowTaskMessage(p.runId() + "/child/" + seq + "/closed", parent, toParent);
  }

  /** A child the parent started and has not seen close, with its close policy. */
  public record OpenChild(RunKey run, ParentClosePolicy policy) {}

  /** The children of a run that are open as far as its history knows. */
  public static List<OpenChild> openChildren(RunKey parent, List<HistoryBatch> history) {
    Map<Long, OpenChild> open = new LinkedHashMap<>();
    for (HistoryBatch b : history) {
      for (HistoryEvent he : b.events()) {
        switch (he.event()) {
          case Event.StartChildWorkflowExecutionInitiated c -> open.put(c.seq(), new OpenChild(
              new RunKey(parent.namespace(), c.workflowId(), childRunId(parent, c.seq())),
              ParentClosePolicy.valueOf(c.parentClosePolicy())));
          case Event.StartChildWorkflowExecutionFailed f -> open.remove(f.seq());
          case Event.ChildWorkflowExecutionCompleted c -> open.remove(c.seq());
          case Event.ChildWorkflowExecutionFailed f -> open.remove(f.seq());
          case Event.ChildWorkflowExecutionCanceled c -> open.remove(c.seq());
          case Event.ChildWorkflowExecutionTimedOut t -> open.remove(t.seq());
          case Event.ChildWorkflowExecutionTerminated t -> open.remove(t.seq());
          default -> { }
        }
      }
    }
    return new ArrayList<>(open.values());
  }

  /**
   * Applies the parent close policy of {@code parent}'s open children: terminate or request cancel
   * (both idempotent; a child closed meanwhile is left alone), or nothing for abandoned ones.
   */
  public static void applyParentClosePolicy(RunKey parent, List<HistoryBatch> history, OtherWorkflows others) {
    for (OpenChild c : openChildren(parent, history)) {
      try {
        switch (c.policy()) {
          case PARENT_CLOSE_POLICY_TERMINATE -> others.terminate(c.run(), "ParentClosed: parent workflow "
              + parent.workflowId() + " closed and the child's parent close policy is TERMINATE");
          case PARENT_CLOSE_POLICY_REQUEST_CANCEL -> others.requestCancel(c.run().namespace(), c.run().workflowId(),
              c.run().runId(), parent.runId() + "/parent-closed");
          case PARENT_CLOSE_POLICY_ABANDON -> { }
        }
      } catch (RuntimeException e) {
        // A child that never started or is gone: nothing to close. Transient errors redeliver the parent's task.
        if (e instanceof WorkflowNotFoundException) {
          log.info("parent close policy of {}: child {} not open ({})", parent, c.run(), e.getMessage());
        } else {
          throw e;
        }
      }
    }
  }
}
