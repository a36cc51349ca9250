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
}
