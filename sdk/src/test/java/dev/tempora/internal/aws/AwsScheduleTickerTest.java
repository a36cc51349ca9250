package dev.tempora.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tempora.client.schedules.ScheduleIntervalSpec;
import dev.tempora.client.schedules.ScheduleSpec;
import dev.tempora.internal.schedules.CompiledSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Scheduler expression that covers a spec's fire times (ADR 14). */
class AwsScheduleTickerTest {

  private static AwsScheduleTicker.Expression of(ScheduleSpec spec) {
    return AwsScheduleTicker.expression(CompiledSpec.compile(spec));
  }

  private static ScheduleSpec cron(String zone, String... crons) {
    return ScheduleSpec.newBuilder().setCronExpressions(List.of(crons)).setTimeZoneName(zone).build();
  }

  @Test
  void aCronWakesInItsMinutesAndInItsHoursAndTheHourAfter() {
    assertEquals(new AwsScheduleTicker.Expression("cron(0 2,3 * * ? *)", "Europe/Berlin"), of(cron("Europe/Berlin", "0 2 * * *")));
    assertEquals(new AwsScheduleTicker.Expression("cron(0,15,30,45 * * * ? *)", "UTC"), of(cron(null, "*/15 * * * MON-FRI")));
    assertEquals(new AwsScheduleTicker.Expression("cron(30 0,1 * * ? *)", "UTC"), of(cron(null, "10 30 0 * * *")));
    assertEquals(new AwsScheduleTicker.Expression("cron(0 9,10 * * ? *)", "Asia/Kolkata"),
        of(cron("UTC", "CRON_TZ=Asia/Kolkata 0 9 * * *")));
  }

  @Test
  void wholeMinuteIntervalsThatDivideADayAreCronsInUtc() {
    assertEquals(new AwsScheduleTicker.Expression("cron(5,35 * * * ? *)", "UTC"), of(ScheduleSpec.newBuilder()
        .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofMinutes(30), Duration.ofMinutes(5)))).build()));
    assertEquals(new AwsScheduleTicker.Expression("cron(0 0,1,12,13 * * ? *)", "UTC"), of(ScheduleSpec.newBuilder()
        .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofHours(12)))).build()));
  }

  @Test
  void anythingElseSweepsEveryTenMinutes() {
    AwsScheduleTicker.Expression rate = new AwsScheduleTicker.Expression("rate(10 minutes)", "UTC");
    assertEquals(rate, of(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofSeconds(30)))).build()));
    assertEquals(rate, of(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofMinutes(7)))).build()));
    assertEquals(rate, of(cron("Europe/Berlin", "0 2 * * *").toBuilder().setIntervals(
        List.of(new ScheduleIntervalSpec(Duration.ofHours(1)))).build()));
  }

  @Test
  void everyFireTimeFallsInACoveredMinute() {
    CompiledSpec spec = CompiledSpec.compile(cron("Europe/Berlin", "30 2 * * *", "45 */6 1 * *"));
    CompiledSpec.MinuteCover cover = spec.minuteCover().orElseThrow();
    for (Instant t : spec.next(Instant.parse("2026-03-01T00:00:00Z"), 200)) {
      var local = t.atZone(cover.zone());
      assertEquals(true, cover.minutes().contains(local.getMinute()), t.toString());
      assertEquals(true, cover.hours().contains(local.getHour()) || cover.hours().contains((local.getHour() + 23) % 24), t.toString());
    }
  }
}
