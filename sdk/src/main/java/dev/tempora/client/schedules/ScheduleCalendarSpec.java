package dev.tempora.client.schedules;

import java.util.List;

/**
 * Calendar times, matched field by field in the schedule's time zone (Temporal's
 * ScheduleCalendarSpec): every field must match, day of month and day of week included. Unset
 * fields default as in Temporal: second, minute and hour 0; day of month, month, year and day of
 * week any. Day of week: 0 (Sunday) to 6; month 1 to 12.
 */
public final class ScheduleCalendarSpec {
  private final List<ScheduleRange> seconds;
  private final List<ScheduleRange> minutes;
  private final List<ScheduleRange> hour;
  private final List<ScheduleRange> dayOfMonth;
  private final List<ScheduleRange> month;
  private final List<ScheduleRange> year;
  private final List<ScheduleRange> dayOfWeek;
  private final String comment;

  private ScheduleCalendarSpec(Builder b) {
    seconds = b.seconds;
    minutes = b.minutes;
    hour = b.hour;
    dayOfMonth = b.dayOfMonth;
    month = b.month;
    year = b.year;
    dayOfWeek = b.dayOfWeek;
    comment = b.comment;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public List<ScheduleRange> getSeconds() { return seconds; }
  public List<ScheduleRange> getMinutes() { return minutes; }
  public List<ScheduleRange> getHour() { return hour; }
  /** Empty: any day. */
  public List<ScheduleRange> getDayOfMonth() { return dayOfMonth; }
  /** Empty: any month. */
  public List<ScheduleRange> getMonth() { return month; }
  /** Empty: any year. */
  public List<ScheduleRange> getYear() { return year; }
  /** Empty: any day of the week. */
  public List<ScheduleRange> getDayOfWeek() { return dayOfWeek; }
  public String getComment() { return comment; }

  public static final class Builder {
    private List<ScheduleRange> seconds = List.of(new ScheduleRange(0));
    private List<ScheduleRange> minutes = List.of(new ScheduleRange(0));
    private List<ScheduleRange> hour = List.of(new ScheduleRange(0));
    private List<ScheduleRange> dayOfMonth = List.of();
    private List<ScheduleRange> month = List.of();
    private List<ScheduleRange> year = List.of();
    private List<ScheduleRange> dayOfWeek = List.of();
    private String comment;

    public Builder setSeconds(List<ScheduleRange> v) { seconds = List.copyOf(v); return this; }
    public Builder setMinutes(List<ScheduleRange> v) { minutes = List.copyOf(v); return this; }
    public Builder setHour(List<ScheduleRange> v) { hour = List.copyOf(v); return this; }
    public Builder setDayOfMonth(List<ScheduleRange> v) { dayOfMonth = List.copyOf(v); return this; }
    public Builder setMonth(List<ScheduleRange> v) { month = List.copyOf(v); return this; }
    public Builder setYear(List<ScheduleRange> v) { year = List.copyOf(v); return this; }
    public Builder setDayOfWeek(List<ScheduleRange> v) { dayOfWeek = List.copyOf(v); return this; }
    public Builder setComment(String v) { comment = v; return this; }

    public ScheduleCalendarSpec build() {
      return new ScheduleCalendarSpec(this);
    }
  }
}
