package dev.tempora.client.schedules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a schedule fires: the union of its intervals, cron expressions and calendars, minus the
 * times its skip calendars match, between {@code startAt} and {@code endAt} (both inclusive), each
 * firing delayed by a random part of {@code jitter}. Calendars and cron expressions are read in
 * {@code timeZoneName} (UTC by default; a cron expression's {@code CRON_TZ=} prefix overrides it),
 * with the zone's rules on DST: a local time that does not exist fires at the same offset after
 * the gap (02:00 on a spring-forward night fires at 03:00), one that occurs twice fires once, at
 * the first. Precision is one second.
 *
 * <p>Cron expressions: 5 fields (minute hour day-of-month month day-of-week, as Unix cron: when
 * both days are restricted either may match), 6 fields (seconds first), {@code @yearly},
 * {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @hourly}, and {@code @every 30m}
 * (an interval, with an optional offset: {@code @every 1h/15m}).
 */
public final class ScheduleSpec {
  private final List<ScheduleIntervalSpec> intervals;
  private final List<String> cronExpressions;
  private final List<ScheduleCalendarSpec> calendars;
  private final List<ScheduleCalendarSpec> skip;
  private final Instant startAt;
  private final Instant endAt;
  private final Duration jitter;
  private final String timeZoneName;

  private ScheduleSpec(Builder b) {
    intervals = b.intervals;
    cronExpressions = b.cronExpressions;
    calendars = b.calendars;
    skip = b.skip;
    startAt = b.startAt;
    endAt = b.endAt;
    jitter = b.jitter;
    timeZoneName = b.timeZoneName;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().setIntervals(intervals).setCronExpressions(cronExpressions).setCalendars(calendars)
        .setSkip(skip).setStartAt(startAt).setEndAt(endAt).setJitter(jitter).setTimeZoneName(timeZoneName);
  }

  public List<ScheduleIntervalSpec> getIntervals() { return intervals; }
  public List<String> getCronExpressions() { return cronExpressions; }
  public List<ScheduleCalendarSpec> getCalendars() { return calendars; }
  public List<ScheduleCalendarSpec> getSkip() { return skip; }
  public Instant getStartAt() { return startAt; }
  public Instant getEndAt() { return endAt; }
  public Duration getJitter() { return jitter; }
  public String getTimeZoneName() { return timeZoneName; }

  public static final class Builder {
    private List<ScheduleIntervalSpec> intervals = List.of();
    private List<String> cronExpressions = List.of();
    private List<ScheduleCalendarSpec> calendars = List.of();
    private List<ScheduleCalendarSpec> skip = List.of();
    private Instant startAt;
    private Instant endAt;
    private Duration jitter;
    private String timeZoneName;

    public Builder setIntervals(List<ScheduleIntervalSpec> v) { intervals = List.copyOf(v); return this; }
    public Builder setCronExpressions(List<String> v) { cronExpressions = List.copyOf(v); return this; }
    public Builder setCalendars(List<ScheduleCalendarSpec> v) { calendars = List.copyOf(v); return this; }
    public Builder setSkip(List<ScheduleCalendarSpec> v) { skip = List.copyOf(v); return this; }
    public Builder setStartAt(Instant v) { startAt = v; return this; }
    public Builder setEndAt(Instant v) { endAt = v; return this; }
    public Builder setJitter(Duration v) { jitter = v; return this; }
    public Builder setTimeZoneName(String v) { timeZoneName = v; return this; }

    public ScheduleSpec build() {
      return new ScheduleSpec(this);
    }
  }
}
