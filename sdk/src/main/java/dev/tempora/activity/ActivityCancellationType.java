package dev.tempora.activity;

/**
 * What cancelling an activity's scope does, as in Temporal (the default is {@link #TRY_CANCEL}).
 * An activity learns of a cancel request only at its next heartbeat.
 */
public enum ActivityCancellationType {
  /** Requests cancellation and fails the activity's promise with {@code CanceledFailure} at once. */
  TRY_CANCEL,
  /**
   * Requests cancellation and waits until the activity ends: canceled (its heartbeat threw and it
   * let the {@code CanceledFailure} out), or completed or failed if it finished anyway. An activity
   * that never heartbeats keeps the workflow waiting until it ends.
   */
  WAIT_CANCELLATION_COMPLETED,
  /** Does not request cancellation: the promise fails at once and the activity runs on, unaware. */
  ABANDON
}
