package dev.tempora.activity;

import java.util.Optional;

/** The running activity's view of itself; from {@link Activity#getExecutionContext()}. */
public interface ActivityExecutionContext {
  ActivityInfo getInfo();

  /**
   * Records progress. Resets the heartbeat timeout; the details reach the next attempt if this one
   * fails. Throws {@code CanceledFailure} when the workflow has requested this activity's
   * cancellation, so a long activity learns of it at its next heartbeat.
   */
  void heartbeat(Object details);

  /** Details of the last heartbeat of this or an earlier attempt. */
  <V> Optional<V> getHeartbeatDetails(Class<V> type);

  /**
   * The attempt's task token: signed, it names the run, the activity and this attempt, for an
   * {@code ActivityCompletionClient} in another thread or service to complete it.
   */
  default byte[] getTaskToken() {
    throw new UnsupportedOperationException("this activity has no task token");
  }

  /**
   * Returning from the activity method then records nothing: the attempt stays open until an
   * {@code ActivityCompletionClient} completes it by its token or ids, or one of its timeouts
   * (start-to-close, schedule-to-close, heartbeat) fires. A thrown exception still fails it.
   */
  default void doNotCompleteOnReturn() {
    throw new UnsupportedOperationException("this activity cannot complete asynchronously");
  }

  default boolean isDoNotCompleteOnReturn() {
    return false;
  }
}
