package dev.tempora.internal.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.client.schedules.ScheduleIntervalSpec;
import dev.tempora.client.schedules.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Properties of fire times that must hold for any spec, instant and zone. */
class CompiledSpecProperties {
  /** 2000-01-01 and 2060-01-01. */
  private static final long FROM = 946_684_800L;
  private static final long TO = 2_840_140_800L;

  @Property(tries = 300)
  void intervalFiresOnItsGridAfterTheInstantWithinOneInterval(@ForAll @IntRange(min = 1, max = 200_000) int every,
      @ForAll @IntRange(min = 0, max = 199_999) int rawOffset, @ForAll @LongRange(min = FROM, max = TO) long at) {
    int offset = rawOffset % every;
    CompiledSpec s = CompiledSpec.compile(ScheduleSpec.newBuilder().setIntervals(List.of(
        new ScheduleIntervalSpec(Duration.ofSeconds(every), Duration.ofSeconds(offset)))).build());
    Instant t = Instant.ofEpochSecond(at);
    Instant next = s.next(t).orElseThrow();
    assertTrue(next.isAfter(t));
    assertTrue(Duration.between(t, next).getSeconds() <= every);
    assertEquals(0, Math.floorMod(next.getEpochSecond() - offset, every));
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
        "America/Sao_Paulo", "Pacific/Chatham");
  }

  @Provide
  Arbitrary<String> crons() {
    Arbitrary<String> minute = Arbitraries.of("0", "*/15", "30", "5,35", "*");
    Arbitrary<String> hour = Arbitraries.of("*", "2", "0-3", "*/6", "23");
    Arbitrary<String> dom = Arbitraries.of("*", "1", "15", "31");
    Arbitrary<String> dow = Arbitraries.of("*", "MON-FRI", "0", "6");
    return net.jqwik.api.Combinators.combine(minute, hour, dom, dow).as((m, h, d, w) -> m + " " + h + " " + d + " * " + w);
  }

  /**
   * The next fire time is after the instant, the same from any instant before it (nothing is
   * passed over), and its local time is one the expression names, or lies right after a DST gap
   * that swallowed a named one.
   */
  @Property(tries = 300)
  void cronNextIsTheFirstMatchingTimeAfterTheInstant(@ForAll("crons") String cron, @ForAll("zones") String zone,
      @ForAll @LongRange(min = FROM, max = TO) long at, @ForAll @IntRange(min = 0, max = 1000) int fraction) {
    CompiledSpec s = CompiledSpec.compile(ScheduleSpec.newBuilder().setCronExpressions(List.of(cron))
        .setTimeZoneName(zone).build());
    Instant t = Instant.ofEpochSecond(at);
    Instant next = s.next(t).orElseThrow();
    assertTrue(next.isAfter(t));
    Instant between = t.plusSeconds(Duration.between(t, next).getSeconds() * fraction / 1001);
    assertEquals(next, s.next(between).orElseThrow(), "from " + between);
    ZoneId z = ZoneId.of(zone);
    LocalDateTime local = next.atZone(z).toLocalDateTime();
    CompiledSpec.Calendar c = (CompiledSpec.Calendar) s.sources().getFirst();
    ZoneOffsetTransition gap = z.getRules().previousTransition(next.plusNanos(1));
    boolean gapShifted = gap != null && gap.isGap() && !next.isBefore(gap.getInstant())
        && next.isBefore(gap.getInstant().plus(gap.getDuration()));
    assertTrue(c.matches(next) || gapShifted, cron + " in " + zone + ": " + next + " is " + local);
  }

  @Property(tries = 100)
  void betweenIsRepeatedNext(@ForAll("crons") String cron, @ForAll("zones") String zone,
      @ForAll @LongRange(min = FROM, max = TO) long at) {
    CompiledSpec s = CompiledSpec.compile(ScheduleSpec.newBuilder().setCronExpressions(List.of(cron, "@every 7h"))
        .setTimeZoneName(zone).build());
    Instant t = Instant.ofEpochSecond(at);
    List<Instant> next = s.next(t, 20);
    assertEquals(next, s.between(t, next.getLast(), 100));
    for (int i = 1; i < next.size(); i++) {
      assertTrue(next.get(i).isAfter(next.get(i - 1)));
    }
  }
}
