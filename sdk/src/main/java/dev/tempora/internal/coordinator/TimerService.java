package dev.tempora.internal.coordinator;

import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Duration;
import java.time.Instant;

/**
 * Port: durable timers (SQS delays and EventBridge Scheduler on AWS). Scheduling an id that is
 * already scheduled or fired does nothing, so an outbox re-send is harmless.
 */
public interface TimerService {
  void schedule(String timerId, Instant fireAt, WorkflowTaskMessage message);

  /**
   * Cancels a timer if it is still pending. A timer that fires anyway (a cancel that came too
   * late, or one the implementation cannot recall) is a stale message the workflow ignores.
   *
   * @param scheduledFor how long the timer was set for, as history recorded it: its fire time
   *     minus the timestamp of the event that started it. It is never less than the time left
   *     when {@link #schedule} was called, which was later. Null if unknown: assume any length.
   */
  void cancel(String timerId, Duration scheduledFor);
}
