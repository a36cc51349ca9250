package dev.tempora.client.schedules;

import java.time.Instant;

/**
 * Acts on the spec's times from {@code startAt} (inclusive) to {@code endAt} (exclusive), oldest
 * first, as if the schedule had been running then, with this overlap policy (null: the
 * schedule's). The catch-up window does not apply; times already acted on start nothing new.
 */
public record ScheduleBackfill(Instant startAt, Instant endAt, ScheduleOverlapPolicy overlapPolicy) {
  public ScheduleBackfill(Instant startAt, Instant endAt) {
    this(startAt, endAt, null);
  }
}
