package dev.tempora.history;

import java.time.Instant;

/**
 * One event of a run's history: its position (1-based, dense), the time it was recorded, and what
 * happened.
 */
public record HistoryEvent(long eventId, Instant timestamp, Event event) {
  @Override
  public String toString() {
    return eventId + " " + event.describe();
  }
}
