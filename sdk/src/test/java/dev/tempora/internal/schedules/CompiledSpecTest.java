package dev.tempora.internal.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.schedules.ScheduleCalendarSpec;
import dev.tempora.client.schedules.ScheduleIntervalSpec;
import dev.tempora.client.schedules.ScheduleRange;
import dev.tempora.client.schedules.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;


class CompiledSpecTest {

  private static CompiledSpec cron(String zone, String... expressions) {
    return CompiledSpec.compile(ScheduleSpec.newBuilder().setCronExpressions(List.of(expressions)).setTimeZoneName(zone).build());
  }

  private static List<Instant> times(String... isos) {
    return Arrays.stream(isos).map(Instant::parse).toList();
  }

  @Test
  void weekdayCron() {
    CompiledSpec s = cron(null, "0 12 * * MON-FRI");
    assertEquals(times("2026-11-30T12:00:00Z", "2026-12-01T12:00:00Z"),
        s.next(Instant.parse("2026-11-27T13:00:00Z"), 2));
  }

  @Test
  void berlinNightlyAcrossSpringForwardFiresAtThreeInTheGap() {
    CompiledSpec s = cron("Europe/Berlin", "0 2 * * *");
    assertEquals(times("2026-03-28T01:00:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z"),
        s.next(Instant.parse("2026-03-27T12:00:00Z"), 3));
  }

  @Test
  void berlinNightlyAcrossFallBackFiresOnceAtTheFirstTwoOClock() {
    CompiledSpec s = cron("Europe/Berlin", "30 2 * * *");
    // 2026-10-25: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET); fired once.
    assertEquals(times("2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"),
        s.next(Instant.parse("2026-10-23T12:00:00Z"), 3));
  }

  @Test
  void everyQuarterHourInTheRepeatedHourFiresEachInstantOnce() {
    CompiledSpec s = cron("Europe/Berlin", "*/30 * * * *");
    List<Instant> got = s.between(Instant.parse("2026-10-24T23:59:00Z"), Instant.parse("2026-10-25T02:00:00Z"), 100);
    assertEquals(times("2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z"), got);
  }

  @Test
  void cronTzPrefixOverridesTheSpecZone() {
    CompiledSpec s = cron("UTC", "CRON_TZ=America/New_York 0 9 * * *");
    assertEquals(Instant.parse("2026-07-01T13:00:00Z"), s.next(Instant.parse("2026-07-01T00:00:00Z")).orElseThrow());
  }

  @Test
  void secondsFieldAndNicknamesAndEvery() {
    assertEquals(Instant.parse("2026-01-01T02:00:30Z"),
        cron(null, "30 0 2 * * *").next(Instant.parse("2026-01-01T00:00:00Z")).orElseThrow());
    assertEquals(Instant.parse("2026-01-02T00:00:00Z"),
        cron(null, "@daily").next(Instant.parse("2026-01-01T00:00:00Z")).orElseThrow());
    assertEquals(times("2026-01-01T00:30:00Z", "2026-01-01T01:00:00Z"),
        cron(null, "@every 30m").next(Instant.parse("2026-01-01T00:10:00Z"), 2));
    assertEquals(Instant.parse("2026-01-01T01:15:00Z"),
        cron(null, "@every 1h/15m").next(Instant.parse("2026-01-01T00:15:00Z")).orElseThrow());
  }

  @Test
  void unixCronMatchesEitherDayButCalendarsMatchBoth() {
    assertEquals(Instant.parse("2026-01-02T00:00:00Z"), // Friday the 2nd (Unix: day 13 OR Friday)
        cron(null, "0 0 13 * 5").next(Instant.parse("2026-01-01T00:00:00Z")).orElseThrow());
    CompiledSpec friday13 = CompiledSpec.compile(ScheduleSpec.newBuilder().setCalendars(List.of(
        ScheduleCalendarSpec.newBuilder().setDayOfMonth(List.of(new ScheduleRange(13)))
            .setDayOfWeek(List.of(new ScheduleRange(5))).build())).build());
    assertEquals(times("2026-02-13T00:00:00Z", "2026-03-13T00:00:00Z", "2026-11-13T00:00:00Z"),
        friday13.next(Instant.parse("2026-01-01T00:00:00Z"), 3));
  }

  @Test
  void intervalsWithOffsetAreEpochAligned() {
    CompiledSpec s = CompiledSpec.compile(ScheduleSpec.newBuilder().setIntervals(List.of(
        new ScheduleIntervalSpec(Duration.ofHours(1), Duration.ofMinutes(15)))).build());
    assertEquals(times("2026-01-01T00:15:00Z", "2026-01-01T01:15:00Z"), s.next(Instant.parse("2026-01-01T00:00:00Z"), 2));
    CompiledSpec thirty = CompiledSpec.compile(ScheduleSpec.newBuilder().setIntervals(List.of(
        new ScheduleIntervalSpec(Duration.ofSeconds(30)))).build());
    assertEquals(Instant.parse("2026-01-01T00:00:30Z"), thirty.next(Instant.parse("2026-01-01T00:00:00Z")).orElseThrow());
  }

  @Test
  void unionSkipStartAndEnd() {
    CompiledSpec s = CompiledSpec.compile(ScheduleSpec.newBuilder()
        .setCronExpressions(List.of("0 0 * * *", "0 12 * * *"))
        .setSkip(List.of(ScheduleCalendarSpec.newBuilder().setHour(List.of(new ScheduleRange(0, 23)))
            .setMinutes(List.of(new ScheduleRange(0, 59))).setMonth(List.of(new ScheduleRange(12)))
            .setDayOfMonth(List.of(new ScheduleRange(25))).build()))
        .setStartAt(Instant.parse("2026-12-24T12:00:00Z"))
        .setEndAt(Instant.parse("2026-12-26T12:00:00Z"))
        .build());
    assertEquals(times("2026-12-24T12:00:00Z", "2026-12-26T00:00:00Z", "2026-12-26T12:00:00Z"),
        s.next(Instant.parse("2026-01-01T00:00:00Z"), 10));
  }

  @Test
  void refusalsAreNamed() {
    assertEquals(InvalidRequestException.INVALID_CRON_EXPRESSION,
        assertThrows(InvalidRequestException.class, () -> cron(null, "61 * * * *")).getError());
    assertEquals(InvalidRequestException.INVALID_CRON_EXPRESSION,
        assertThrows(InvalidRequestException.class, () -> cron(null, "* * *")).getError());
    assertEquals(InvalidRequestException.INVALID_CRON_EXPRESSION,
        assertThrows(InvalidRequestException.class, () -> cron(null, "@fortnightly")).getError());
    assertEquals(InvalidRequestException.INVALID_TIME_ZONE,
        assertThrows(InvalidRequestException.class, () -> cron("Mars/Olympus", "0 0 * * *")).getError());
    assertEquals(InvalidRequestException.INVALID_TIME_ZONE,
        assertThrows(InvalidRequestException.class, () -> cron(null, "CRON_TZ=Nowhere 0 0 * * *")).getError());
    InvalidRequestException sub = assertThrows(InvalidRequestException.class, () -> CompiledSpec.compile(ScheduleSpec.newBuilder()
        .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofMillis(500)))).build()));
    assertEquals(InvalidRequestException.INVALID_SCHEDULE, sub.getError());
    assertEquals(InvalidRequestException.INVALID_SCHEDULE, assertThrows(InvalidRequestException.class,
        () -> CompiledSpec.compile(ScheduleSpec.newBuilder().build())).getError());
    assertEquals(InvalidRequestException.INVALID_SCHEDULE, assertThrows(InvalidRequestException.class,
        () -> CompiledSpec.compile(ScheduleSpec.newBuilder().setCalendars(List.of(ScheduleCalendarSpec.newBuilder()
            .setHour(List.of(new ScheduleRange(24))).build())).build())).getError());
  }

  @Test
  void jitterIsWithinBoundsAndTheSameForTheSameFiring() {
    CompiledSpec s = CompiledSpec.compile(ScheduleSpec.newBuilder().setCronExpressions(List.of("* * * * *"))
        .setJitter(Duration.ofSeconds(10)).build());
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Duration j = s.jitterFor("sched", t);
    assertEquals(j, s.jitterFor("sched", t));
    assertTrue(!j.isNegative() && j.compareTo(Duration.ofSeconds(10)) < 0, j.toString());
  }
}
