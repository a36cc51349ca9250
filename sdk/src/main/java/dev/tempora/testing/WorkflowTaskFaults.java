package dev.tempora.testing;

/**
 * Crash injection for tests: throw from a method to make the coordinator die at that point of a
 * workflow task. The environment then throws the runner away and redelivers the task, as SQS
 * would, so a test can check that a workflow survives a crash anywhere.
 */
public interface WorkflowTaskFaults {
  /** The task decided its batch ({@code lastEventId} is its last event); nothing is stored yet. */
  default void beforeCommit(String workflowId, int batchSeq, long lastEventId) {}

  /** The batch is stored; its activity tasks and timers are not sent yet. */
  default void afterCommit(String workflowId, int batchSeq, long lastEventId) {}
}
