package dev.tempora.client;

/**
 * What a start does when the workflow id's last run is closed. (A start while a run is open
 * returns that run: the workflow id is the idempotency key.)
 */
public enum WorkflowIdReusePolicy {
  /** Start a new run whatever the last one's outcome. */
  ALLOW_DUPLICATE,
  /** Start a new run only if the last one failed, was cancelled, terminated or timed out. */
  ALLOW_DUPLICATE_FAILED_ONLY,
  /** Never start a second run for this id: {@link WorkflowAlreadyStartedException}. */
  REJECT_DUPLICATE,
  /** Like ALLOW_DUPLICATE, and an open run is terminated first instead of being returned. */
  TERMINATE_IF_RUNNING
}
