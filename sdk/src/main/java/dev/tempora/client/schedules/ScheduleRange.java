package dev.tempora.client.schedules;

/**
 * Values {@code start} to {@code end} inclusive, every {@code step}-th: a field of a {@link
 * ScheduleCalendarSpec} (Temporal's ScheduleRange). {@code new ScheduleRange(5)} is just 5.
 */
public record ScheduleRange(int start, int end, int step) {
  public ScheduleRange {
    if (end < start) {
      end = start;
    }
    if (step < 1) {
      step = 1;
    }
  }

  public ScheduleRange(int value) {
    this(value, value, 1);
  }

  public ScheduleRange(int start, int end) {
    this(start, end, 1);
  }
}
