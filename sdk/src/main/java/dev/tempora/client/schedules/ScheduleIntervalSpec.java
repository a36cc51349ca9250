package dev.tempora.client.schedules;

import java.time.Duration;

/**
 * Fires every {@code every}, at the instants {@code epoch + offset + k * every} (so a 1-hour
 * interval with a 15-minute offset fires at :15 of every hour, UTC; intervals ignore time zones).
 */
public record ScheduleIntervalSpec(Duration every, Duration offset) {
  public ScheduleIntervalSpec(Duration every) {
    this(every, Duration.ZERO);
  }

  public ScheduleIntervalSpec {
    if (offset == null) {
      offset = Duration.ZERO;
    }
  }
}
