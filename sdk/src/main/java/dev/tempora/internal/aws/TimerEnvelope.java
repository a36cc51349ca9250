package dev.tempora.internal.aws;

import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Instant;
import java.util.Objects;

/**
 * What travels on the timers queue (directly with an SQS delay, or as the Input of a Scheduler
 * schedule): {@code {"timerId":..., "fireAt": <epoch millis>, "message": <WorkflowTaskMessage>}}.
 * The due time rides along so that whoever receives it early (Scheduler fires a few minutes
 * ahead on purpose) can wait out the rest.
 */
public record TimerEnvelope(String timerId, long fireAt, WorkflowTaskMessage message) {
  public TimerEnvelope {
    Objects.requireNonNull(timerId, "timerId");
    Objects.requireNonNull(message, "message");
  }

  public TimerEnvelope(String timerId, Instant fireAt, WorkflowTaskMessage message) {
    this(timerId, fireAt.toEpochMilli(), message);
  }

  public Instant fireInstant() {
    return Instant.ofEpochMilli(fireAt);
  }

  public String toJson() {
    // Travels as an SQS body (and Scheduler input): escape what SQS refuses.
    return SqsLimits.sqsSafeJson(HistoryJson.write(this));
  }

  /** @throws UndecodableTimerException if the bytes are not a timer envelope (they never will be) */
  public static TimerEnvelope fromJson(String json) {
    try {
      return HistoryJson.read(json, TimerEnvelope.class);
    } catch (RuntimeException e) {
      throw new UndecodableTimerException(e.getMessage(), e);
    }
  }

  /** A timers-queue message that cannot be decoded: the one thing that belongs in its DLQ. */
  public static final class UndecodableTimerException extends IllegalArgumentException {
    UndecodableTimerException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
