package dev.tempora.internal.schedules;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.schedules.ScheduleCalendarSpec;
import dev.tempora.client.schedules.ScheduleIntervalSpec;
import dev.tempora.client.schedules.ScheduleRange;
import dev.tempora.client.schedules.ScheduleSpec;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link ScheduleSpec} made ready to compute fire times: cron expressions and calendars parsed
 * by cron-utils, intervals as epoch-aligned steps. Construction validates everything, so a spec
 * that compiles can always be asked for its times.
 *
 * <p>Calendar-like sources step through <em>local</em> date-times with cron-utils (evaluated as if
 * in UTC, so cron-utils never sees a DST transition) and resolve each to an instant with the zone's
 * rules ({@link ZonedDateTime#ofLocal}: a local time in a gap moves forward by the gap, one in an
 * overlap takes the earlier offset). A resolved instant not after the search start is passed over,
 * so a repeated local hour fires once.
 */
public final class CompiledSpec {
  /** How many candidate times a search may pass over (skip calendars, DST) before it gives up. */
  private static final int MAX_STEPS = 100_000;
  private static final Pattern CRON_TZ = Pattern.compile("^\\s*(?:CRON_TZ|TZ)=(\\S+)\\s+(.*)$");
  private static final Pattern EVERY = Pattern.compile("^@every\\s+(\\S+?)(?:/(\\S+))?\\s*$");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(d|h|m|s)");

  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  /** Unix cron with a seconds field first. */
  private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.defineCron()
      .withSeconds().withValidRange(0, 59).and()
      .withMinutes().withValidRange(0, 59).and()
      .withHours().withValidRange(0, 23).and()
      .withDayOfMonth().withValidRange(1, 31).and()
      .withMonth().withValidRange(1, 12).and()
      .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).and()
      .instance());
  /** Calendar specs: all seven fields, every one must match (day of month and day of week too). */
  private static final CronDefinition CALENDAR_DEFINITION = CronDefinitionBuilder.defineCron()
      .withSeconds().withValidRange(0, 59).and()
      .withMinutes().withValidRange(0, 59).and()
      .withHours().withValidRange(0, 23).and()
      .withDayOfMonth().withValidRange(1, 31).and()
      .withMonth().withValidRange(1, 12).and()
      .withDayOfWeek().withValidRange(0, 6).withMondayDoWValue(1).and()
      .withYear().withValidRange(1970, 2999).and()
      .matchDayOfWeekAndDayOfMonth()
      .instance();
  private static final CronParser CALENDAR = new CronParser(CALENDAR_DEFINITION);

  /** Where fire times come from. */
  public sealed interface Source permits Interval, Calendar {
    /** The first fire time strictly after {@code after}, if any. */
    Optional<Instant> next(Instant after);
  }

  /** {@code epoch + offset + k * every}. */
  record Interval(Duration every, Duration offset) implements Source {
    @Override
    public Optional<Instant> next(Instant after) {
      long every = this.every.getSeconds();
      long offset = this.offset.getSeconds();
      long t = after.getEpochSecond() - offset;
      long k = Math.floorDiv(t, every) + 1;
      return Optional.of(Instant.ofEpochSecond(k * every + offset));
    }
  }

  /** Local date-times matched by a cron expression, in a zone. */
  record Calendar(String expression, ExecutionTime times, ZoneId zone) implements Source {
    @Override
    public Optional<Instant> next(Instant after) {
      LocalDateTime local = after.atZone(zone).toLocalDateTime();
      for (int i = 0; i < MAX_STEPS; i++) {
        Optional<ZonedDateTime> n = times.nextExecution(local.atZone(ZoneOffset.UTC));
        if (n.isEmpty()) {
          return Optional.empty();
        }
        local = n.get().toLocalDateTime();
        Instant at = ZonedDateTime.ofLocal(local, zone, null).toInstant();
        if (at.isAfter(after)) {
          return Optional.of(at);
        }
      }
      return Optional.empty();
    }

    boolean matches(Instant t) {
      return times.isMatch(t.atZone(zone).toLocalDateTime().atZone(ZoneOffset.UTC));
    }
  }

  private final List<Source> sources;
  private final List<Calendar> skip;
  private final Instant startAt;
  private final Instant endAt;
  private final Duration jitter;
  private final ZoneId zone;

  private CompiledSpec(List<Source> sources, List<Calendar> skip, Instant startAt, Instant endAt, Duration jitter,
      ZoneId zone) {
    this.sources = sources;
    this.skip = skip;
    this.startAt = startAt;
    this.endAt = endAt;
    this.jitter = jitter;
    this.zone = zone;
  }

  /** @throws InvalidRequestException InvalidCronExpression, InvalidTimeZone or InvalidSchedule */
  public static CompiledSpec compile(ScheduleSpec spec) {
    ZoneId zone = zone(spec.getTimeZoneName() == null ? "UTC" : spec.getTimeZoneName());
    List<Source> sources = new ArrayList<>();
    for (ScheduleIntervalSpec i : spec.getIntervals()) {
      sources.add(interval(i.every(), i.offset()));
    }
    for (String cron : spec.getCronExpressions()) {
      sources.add(cron(cron, zone));
    }
    for (ScheduleCalendarSpec c : spec.getCalendars()) {
      sources.add(calendar(c, zone));
    }
    List<Calendar> skip = new ArrayList<>();
    for (ScheduleCalendarSpec c : spec.getSkip()) {
      skip.add(calendar(c, zone));
    }
    if (sources.isEmpty()) {
      throw invalid("a schedule spec needs at least one interval, cron expression or calendar");
    }
    if (spec.getStartAt() != null && spec.getEndAt() != null && spec.getEndAt().isBefore(spec.getStartAt())) {
      throw invalid("endAt " + spec.getEndAt() + " is before startAt " + spec.getStartAt());
    }
    Duration jitter = spec.getJitter() == null ? Duration.ZERO : spec.getJitter();
    if (jitter.isNegative()) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_DURATION, "jitter " + jitter + " is negative");
    }
    return new CompiledSpec(List.copyOf(sources), List.copyOf(skip), spec.getStartAt(), spec.getEndAt(), jitter, zone);
  }

  /**
   * A cron workflow's schedule or a schedule's cron string: 5 fields (Unix), 6 (seconds first),
   * a nickname ({@code @daily}...), or {@code @every}; an optional {@code CRON_TZ=zone} prefix.
   */
  public static Source cron(String expression, ZoneId defaultZone) {
    if (expression == null || expression.isBlank()) {
      throw cronInvalid(expression, "it is empty");
    }
    String text = expression.trim();
    ZoneId zone = defaultZone;
    Matcher tz = CRON_TZ.matcher(text);
    if (tz.matches()) {
      zone = zone(tz.group(1));
      text = tz.group(2).trim();
    }
    Matcher every = EVERY.matcher(text);
    if (every.matches()) {
      Duration d = duration(every.group(1), expression);
      Duration offset = every.group(2) == null ? Duration.ZERO : duration(every.group(2), expression);
      return interval(d, offset);
    }
    text = switch (text.toLowerCase(Locale.ROOT)) {
      case "@yearly", "@annually" -> "0 0 1 1 *";
      case "@monthly" -> "0 0 1 * *";
      case "@weekly" -> "0 0 * * 0";
      case "@daily", "@midnight" -> "0 0 * * *";
      case "@hourly" -> "0 * * * *";
      default -> text;
    };
    if (text.startsWith("@")) {
      throw cronInvalid(expression, "unknown nickname " + text);
    }
    int fields = text.split("\\s+").length;
    CronParser parser = switch (fields) {
      case 5 -> UNIX;
      case 6 -> WITH_SECONDS;
      default -> throw cronInvalid(expression, "it has " + fields + " fields; 5 (minute hour day-of-month month "
          + "day-of-week) or 6 (seconds first) are accepted");
    };
    try {
      Cron cron = parser.parse(text);
      cron.validate();
      return new Calendar(text, ExecutionTime.forCron(cron), zone);
    } catch (IllegalArgumentException e) {
      throw cronInvalid(expression, e.getMessage());
    }
  }

  static Calendar calendar(ScheduleCalendarSpec c, ZoneId zone) {
    String expression = String.join(" ", field("seconds", c.getSeconds(), 0, 59),
        field("minutes", c.getMinutes(), 0, 59), field("hour", c.getHour(), 0, 23),
        field("dayOfMonth", c.getDayOfMonth(), 1, 31), field("month", c.getMonth(), 1, 12),
        field("dayOfWeek", c.getDayOfWeek(), 0, 6), field("year", c.getYear(), 1970, 2999));
    try {
      Cron cron = CALENDAR.parse(expression);
      return new Calendar(expression, ExecutionTime.forCron(cron), zone);
    } catch (IllegalArgumentException e) {
      throw invalid("calendar " + expression + ": " + e.getMessage());
    }
  }

  private static String field(String name, List<ScheduleRange> ranges, int min, int max) {
    if (ranges == null || ranges.isEmpty()) {
      return "*";
    }
    List<String> parts = new ArrayList<>();
    for (ScheduleRange r : ranges) {
      if (r.start() < min || r.end() > max) {
        throw invalid("calendar field " + name + " range " + r.start() + "-" + r.end() + " is outside " + min + "-" + max);
      }
      String part = r.start() == r.end() ? String.valueOf(r.start()) : r.start() + "-" + r.end();
      if (r.step() > 1) {
        part = (r.start() == r.end() ? r.start() + "-" + max : part) + "/" + r.step();
      }
      parts.add(part);
    }
    return String.join(",", parts);
  }

  private static Interval interval(Duration every, Duration offset) {
    if (every == null || every.compareTo(Duration.ofSeconds(1)) < 0 || every.getNano() != 0) {
      throw invalid("interval " + every + " must be whole seconds, at least one");
    }
    if (offset.isNegative() || offset.getNano() != 0 || offset.compareTo(every) >= 0) {
      throw invalid("interval offset " + offset + " must be whole seconds, at least 0 and less than the interval " + every);
    }
    return new Interval(every, offset);
  }

  private static Duration duration(String text, String expression) {
    Matcher m = DURATION_PART.matcher(text);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
      end = m.end();
    }
    if (end != text.length() || end == 0) {
      throw cronInvalid(expression, "'" + text + "' is not a duration like 30m, 1h30m or 45s");
    }
    return d;
  }

  static ZoneId zone(String name) {
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_TIME_ZONE,
          "unknown time zone '" + name + "' (use an IANA name such as Europe/Berlin)");
    }
  }

  private static InvalidRequestException invalid(String detail) {
    return new InvalidRequestException(InvalidRequestException.INVALID_SCHEDULE, detail);
  }

  private static InvalidRequestException cronInvalid(String expression, String why) {
    return new InvalidRequestException(InvalidRequestException.INVALID_CRON_EXPRESSION,
        "cron expression '" + expression + "' is invalid: " + why);
  }

  // ---- fire times ----------------------------------------------------------------------

  /** The first fire time strictly after {@code after}: within start/end, not skipped. */
  public Optional<Instant> next(Instant after) {
    Instant from = startAt != null && after.isBefore(startAt) ? startAt.minusNanos(1) : after;
    for (int i = 0; i < MAX_STEPS; i++) {
      Instant best = null;
      for (Source s : sources) {
        Optional<Instant> n = s.next(from);
        if (n.isPresent() && (best == null || n.get().isBefore(best))) {
          best = n.get();
        }
      }
      if (best == null || (endAt != null && best.isAfter(endAt))) {
        return Optional.empty();
      }
      if (!skipped(best)) {
        return Optional.of(best);
      }
      from = best;
    }
    return Optional.empty();
  }

  /** Up to {@code n} fire times after {@code after}, in order. */
  public List<Instant> next(Instant after, int n) {
    List<Instant> out = new ArrayList<>();
    Instant t = after;
    while (out.size() < n) {
      Optional<Instant> next = next(t);
      if (next.isEmpty()) {
        break;
      }
      out.add(next.get());
      t = next.get();
    }
    return out;
  }

  /** The fire times in {@code (fromExclusive, toInclusive]}, in order, at most {@code limit}. */
  public List<Instant> between(Instant fromExclusive, Instant toInclusive, int limit) {
    List<Instant> out = new ArrayList<>();
    Instant t = fromExclusive;
    while (out.size() < limit) {
      Optional<Instant> next = next(t);
      if (next.isEmpty() || next.get().isAfter(toInclusive)) {
        break;
      }
      out.add(next.get());
      t = next.get();
    }
    return out;
  }

  private boolean skipped(Instant t) {
    for (Calendar c : skip) {
      if (c.matches(t)) {
        return true;
      }
    }
    return false;
  }

  public Duration jitter() {
    return jitter;
  }

  public ZoneId zone() {
    return zone;
  }

  List<Source> sources() {
    return sources;
  }

  /**
   * The minutes and hours (of day, in one zone) in which every fire time falls, if the spec's
   * sources all have such a cover: cron expressions and calendars (their minute and hour fields, in
   * their zone) and intervals of whole minutes that divide a day (in UTC). A coarser clock
   * (EventBridge Scheduler) can then wake in those minutes only. Empty otherwise.
   */
  public Optional<MinuteCover> minuteCover() {
    TreeSet<Integer> minutes = new TreeSet<>();
    TreeSet<Integer> hours = new TreeSet<>();
    ZoneId coverZone = null;
    for (Source source : sources) {
      ZoneId z;
      switch (source) {
        case Calendar c -> {
          String[] f = c.expression().trim().split("\\s+");
          int m = f.length == 5 ? 0 : 1;
          TreeSet<Integer> ms = expand(f[m], 0, 59);
          TreeSet<Integer> hs = expand(f[m + 1], 0, 23);
          if (ms == null || hs == null) {
            return Optional.empty();
          }
          minutes.addAll(ms);
          hours.addAll(hs);
          z = c.zone();
        }
        case Interval i -> {
          long every = i.every().getSeconds();
          if (every % 60 != 0 || 86_400 % every != 0 || i.offset().getSeconds() % 60 != 0) {
            return Optional.empty();
          }
          for (long t = i.offset().getSeconds(); t < 86_400; t += every) {
            minutes.add((int) (t / 60 % 60));
            hours.add((int) (t / 3600));
          }
          z = ZoneId.of("UTC");
        }
      }
      if (coverZone != null && !coverZone.normalized().equals(z.normalized())) {
        return Optional.empty();
      }
      coverZone = z;
    }
    return Optional.of(new MinuteCover(minutes, hours, coverZone));
  }

  /** Minutes 0-59 and hours 0-23 of the day, in {@code zone}. */
  public record MinuteCover(SortedSet<Integer> minutes, SortedSet<Integer> hours, ZoneId zone) {}

  /** The values a cron field names ({@code *}, {@code a}, {@code a-b}, with {@code /n}, comma lists); null for other syntax. */
  static TreeSet<Integer> expand(String field, int min, int max) {
    TreeSet<Integer> out = new TreeSet<>();
    for (String part : field.split(",")) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      try {
        if (slash >= 0) {
          range = part.substring(0, slash);
          step = Integer.parseInt(part.substring(slash + 1));
        }
        int from;
        int to;
        if (range.equals("*")) {
          from = min;
          to = max;
        } else if (range.contains("-")) {
          from = Integer.parseInt(range.substring(0, range.indexOf('-')));
          to = Integer.parseInt(range.substring(range.indexOf('-') + 1));
        } else {
          from = Integer.parseInt(range);
          to = slash >= 0 ? max : from;
        }
        if (step < 1 || from < min || to > max || from > to) {
          return null;
        }
        for (int v = from; v <= to; v += step) {
          out.add(v);
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return out;
  }

  /**
   * The delay of a firing within the jitter: a fraction of it that depends only on the schedule id
   * and the scheduled time, so every delivery of the same firing agrees (and tests repeat).
   */
  public Duration jitterFor(String scheduleId, Instant scheduledTime) {
    if (jitter.isZero()) {
      return Duration.ZERO;
    }
    long h = scheduleId.hashCode() * 0x9E3779B97F4A7C15L ^ scheduledTime.getEpochSecond() * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 31;
    double fraction = (h >>> 11) * 0x1.0p-53;
    return Duration.ofMillis((long) (jitter.toMillis() * fraction));
  }
}
