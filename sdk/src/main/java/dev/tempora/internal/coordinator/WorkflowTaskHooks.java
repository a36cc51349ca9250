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
}
