package dev.tempora.internal.history;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.Event;
import java.time.Instant;

/**
 * A run's metadata item: written at start and on status changes, not on every step.
 * {@code taskFailure} explains a workflow task that keeps failing (non-determinism, unknown
 * type, exception in workflow code); {@code startEvent} lets a start be re-sent idempotently.
 */
public record RunRecord(
    RunKey run,
    String workflowType,
    String taskQueue,
    WorkflowExecutionStatus status,
    Instant startTime,
    Instant closeTime,
    Event.WorkflowExecutionStarted startEvent,
    String taskFailure) {

  public RunRecord closed(WorkflowExecutionStatus newStatus, Instant at) {
    return new RunRecord(run, workflowType, taskQueue, newStatus, startTime, at, startEvent, null);
  }

  public RunRecord withTaskFailure(String failure) {
    return new RunRecord(run, workflowType, taskQueue, status, startTime, closeTime, startEvent, failure);
  }
}
