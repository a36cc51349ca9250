package dev.tempora.internal.coordinator;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.internal.history.RunRecord;

/**
 * Told when the outbox dispatches a run's close (schedules start their buffered action then). It
 * may be told more than once for the same close (a re-dispatched batch): it must be idempotent.
 * It must not throw into the coordinator: what it fails to do is repaired later by its owner.
 */
@FunctionalInterface
public interface RunCloseListener {
  RunCloseListener NONE = (record, status) -> { };

  void closed(RunRecord record, WorkflowExecutionStatus status);
}
