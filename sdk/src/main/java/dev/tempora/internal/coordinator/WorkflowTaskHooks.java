package dev.tempora.internal.coordinator;

import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;

/** Points in a workflow task where tests inject crashes. Production uses {@link #NONE}. */
public interface WorkflowTaskHooks {
  WorkflowTaskHooks NONE = new WorkflowTaskHooks() {};

  /** The task decided; nothing is stored yet. Throwing here loses the task: it is redelivered. */
  default void beforeCommit(RunKey run, HistoryBatch batch) {}

  /** The batch is stored; nothing is dispatched. Throwing here tests the outbox re-send. */
  default void afterCommit(RunKey run, HistoryBatch batch) {}

  /**
   * The task committed and dispatched its batch. {@code nanos} is the coordinator's time on it,
   * from reading the run record to the last send (queue wait and activity time excluded), so a
   * benchmark can see what one task costs at a given history length.
   */
  default void afterTask(RunKey run, HistoryBatch batch, long nanos) {}
}
