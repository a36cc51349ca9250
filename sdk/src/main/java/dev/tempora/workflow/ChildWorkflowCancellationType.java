package dev.tempora.workflow;

/** How a child workflow stub's call reacts when its cancellation scope is cancelled (Temporal's types). */
public enum ChildWorkflowCancellationType {
  /** Asks the child to cancel and waits until it closed; the child's outcome settles the call (the default). */
  WAIT_CANCELLATION_COMPLETED,
  /** Asks the child to cancel and fails the call at once with a {@code CanceledFailure} cause. */
  WAIT_CANCELLATION_REQUESTED,
  /** As {@link #WAIT_CANCELLATION_REQUESTED}: the request is recorded, the call fails at once. */
  TRY_CANCEL,
  /** Asks nothing of the child and fails the call at once. */
  ABANDON
}
