package dev.tempora.internal.replay;

import dev.tempora.failure.TimeoutType;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import java.time.Duration;
import java.time.Instant;

/**
 * What a local activity records: Temporal's "LocalActivity" marker, a {@link Event.MarkerRecorded}
 * with the command's seq. Exactly one of {@code result} and {@code failure} is set (a completion's
 * result may be {@link Payload#NULL}). {@code backoff} is set when the failure is retried after a
 * durable timer of that length (a backoff at or above the local retry threshold); the next attempt
 * ({@code attempt + 1}) is another marker. {@code input} is null when the options asked to leave
 * the arguments out. {@code scheduledTime}: when the first attempt was scheduled (schedule-to-close
 * counts from it, across timers).
 */
public record LocalActivityMarker(String activityId, String activityType, Payload input, int attempt,
    Instant scheduledTime, Payload result, FailureInfo failure, TimeoutType timeoutType, Duration backoff) {
  public static final String NAME = "LocalActivity";

  public boolean completed() {
    return failure == null;
  }

  public Command.RecordMarker toCommand(long seq) {
    return new Command.RecordMarker(seq, NAME, DataConverter.get().toPayload(this));
  }

  /** @throws IllegalArgumentException when the marker is not a local activity's */
  public static LocalActivityMarker of(Event.MarkerRecorded m) {
    if (!NAME.equals(m.markerName())) {
      throw new IllegalArgumentException("not a local activity marker: " + m.describe());
    }
    LocalActivityMarker l = (LocalActivityMarker) DataConverter.get().fromPayload(m.data(), LocalActivityMarker.class);
    if (l == null || l.activityType() == null) {
      throw new IllegalArgumentException("local activity marker without an activity type: " + m.data());
    }
    return l;
  }
}
