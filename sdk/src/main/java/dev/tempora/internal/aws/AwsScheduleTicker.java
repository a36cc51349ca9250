package dev.tempora.internal.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.client.schedules.ScheduleSpec;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.schedules.CompiledSpec;
import dev.tempora.internal.schedules.ScheduleItem;
import dev.tempora.internal.schedules.ScheduleTicker;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.Target;
import software.amazon.awssdk.services.scheduler.model.UpdateScheduleRequest;

/**
 * One recurring EventBridge Scheduler schedule per Tempora schedule (ADR 14), in the engine's
 * schedule group, aimed at the schedules queue with a tick as input. Its expression only has to
 * cover the spec's fire times (the tick computes the real ones from the item): a spec of one cron
 * expression or calendar wakes in its minutes and in its hours and the hour after each (so a time
 * that a spring-forward gap moves an hour later, when Scheduler skips the nonexistent time, is
 * still covered), in the spec's zone; anything else every {@link #RATE_MINUTES} minutes.
 */
public final class AwsScheduleTicker implements ScheduleTicker {
  public static final int RATE_MINUTES = 10;
  /** Scheduler retries a failed delivery for up to a day (185 attempts is its maximum). */
  static final int MAX_RETRY_ATTEMPTS = 185;
  static final int MAX_EVENT_AGE_SECONDS = 86_400;
  private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_INSTANT;

  private final SchedulerClient scheduler;
  private final String group;
  private final String roleArn;
  private final Supplier<String> queueArn;
  private final Supplier<String> deadLetterArn;
  private final InstantSource clock;

  public AwsScheduleTicker(SchedulerClient scheduler, String group, String roleArn, Supplier<String> queueArn,
      Supplier<String> deadLetterArn, InstantSource clock) {
    this.scheduler = scheduler;
    this.group = group;
    this.roleArn = roleArn;
    this.queueArn = queueArn;
    this.deadLetterArn = deadLetterArn;
    this.clock = clock;
  }

  /** A valid Scheduler name (at most 64 of [0-9a-zA-Z-_.]) for any schedule: {@code s-} and 40 hex digits of a SHA-256. */
  public static String scheduleName(String namespace, String scheduleId) {
    return "s-" + SqsLimits.sha256Hex(namespace + "/" + scheduleId).substring(0, 40);
  }

  /** The Scheduler expression and zone that cover the spec's fire times. */
  public record Expression(String expression, String zone) {}

  public static Expression expression(CompiledSpec spec) {
    Optional<CompiledSpec.MinuteCover> cover = spec.minuteCover();
    if (cover.isPresent() && !cover.get().minutes().isEmpty() && !cover.get().hours().isEmpty()) {
      TreeSet<Integer> hours = new TreeSet<>(cover.get().hours());
      cover.get().hours().forEach(h -> hours.add((h + 1) % 24));
      return new Expression("cron(" + list(cover.get().minutes(), 60) + " " + list(hours, 24) + " * * ? *)",
          cover.get().zone().getId());
    }
    return new Expression("rate(" + RATE_MINUTES + " minutes)", "UTC");
  }

  /** Whether the expression wakes in each minute holding a fire time (else it sweeps ahead). */
  public static boolean isCron(Expression e) {
    return e.expression().startsWith("cron(");
  }

  private static String list(SortedSet<Integer> values, int all) {
    return values.size() == all ? "*" : values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** The tick message Scheduler sends; {@code <aws.scheduler.scheduled-time>} is filled in by Scheduler. */
  static String tickInput(ScheduleItem item) {
    ObjectNode o = DataConverter.get().mapper().createObjectNode();
    o.putObject("scheduleTick").put("namespace", item.namespace()).put("scheduleId", item.scheduleId())
        .put("generation", item.generation());
    o.put("scheduledTime", "<aws.scheduler.scheduled-time>");
    return o.toString();
  }

  @Override
  public void sync(ScheduleItem item) {
    if (item.deleted()) {
      remove(item.namespace(), item.scheduleId());
      return;
    }
    ScheduleSpec spec = item.schedule().getSpec();
    Expression e = expression(CompiledSpec.compile(spec));
    String name = scheduleName(item.namespace(), item.scheduleId());
    Target target = Target.builder().arn(queueArn.get()).roleArn(roleArn).input(tickInput(item))
        .retryPolicy(r -> r.maximumRetryAttempts(MAX_RETRY_ATTEMPTS).maximumEventAgeInSeconds(MAX_EVENT_AGE_SECONDS))
        .deadLetterConfig(d -> d.arn(deadLetterArn.get())).build();
    String description = "Tempora schedule " + abbreviate(item.scheduleId());
    Instant now = clock.instant();
    Instant start = spec.getStartAt() != null && spec.getStartAt().isAfter(now)
        ? spec.getStartAt().truncatedTo(ChronoUnit.MINUTES) : null;
    // A minute past the end, so the end's own minute still ticks.
    Instant end = spec.getEndAt() != null ? spec.getEndAt().truncatedTo(ChronoUnit.MINUTES).plusSeconds(60) : null;
    try {
      scheduler.createSchedule(CreateScheduleRequest.builder().name(name).groupName(group)
          .scheduleExpression(e.expression()).scheduleExpressionTimezone(e.zone())
          .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF)).startDate(start).endDate(end)
          .description(description).target(target).build());
    } catch (ConflictException exists) {
      scheduler.updateSchedule(UpdateScheduleRequest.builder().name(name).groupName(group)
          .scheduleExpression(e.expression()).scheduleExpressionTimezone(e.zone())
          .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF)).startDate(start).endDate(end)
          .description(description).target(target).build());
    }
  }

  @Override
  public void fired(ScheduleItem item) {
    // The Scheduler schedule recurs by itself.
  }

  @Override
  public void remove(String namespace, String scheduleId) {
    try {
      scheduler.deleteSchedule(b -> b.name(scheduleName(namespace, scheduleId)).groupName(group));
    } catch (ResourceNotFoundException gone) {
      // deleted before
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 400 ? s : s.substring(0, 400) + "...";
  }

  static String format(Instant t) {
    return DATE.format(t.atOffset(ZoneOffset.UTC));
  }
}
