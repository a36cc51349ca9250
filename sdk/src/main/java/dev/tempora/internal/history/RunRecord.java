package dev.tempora.internal.history;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.Event;
import java.time.Instant;

/**
 * A run's metadata item: written at start and on status changes, not on every step.
 * {@code taskFailure} explains a workflow task that keeps failing (non-determinism, unknown
 * type, exception in workflow code); {@code startEvent} lets a start be re-sent idempotently.
 * {@code startSignal} is the signal of a signal-with-start that made the run (or null): stored with
 * the run, so the first workflow task handles it with the start whatever message reaches the
 * coordinator first, as Temporal records both before the first task.
 */
public record RunRecord(
    RunKey run,
    String workflowType,
    String taskQueue,
    WorkflowExecutionStatus status,
    Instant startTime,
    Instant closeTime,
    Event.WorkflowExecutionStarted startEvent,
    String taskFailure,
    Event.WorkflowSignaled startSignal) {

  public RunRecord(RunKey run, String workflowType, String taskQueue, WorkflowExecutionStatus status,
      Instant startTime, Instant closeTime, Event.WorkflowExecutionStarted startEvent, String taskFailure) {
    this(run, workflowType, taskQueue, status, startTime, closeTime, startEvent, taskFailure, null);
  }

  public RunRecord closed(WorkflowExecutionStatus newStatus, Instant at) {
    return new RunRecord(run, workflowType, taskQueue, newStatus, startTime, at, startEvent, null, startSignal);
  }

  public RunRecord withTaskFailure(String failure) {
    return new RunRecord(run, workflowType, taskQueue, status, startTime, closeTime, startEvent, failure, startSignal);
  }
}
