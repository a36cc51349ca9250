package dev.tempora.internal.aws;

import dev.tempora.internal.coordinator.TimerService;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Durable timers on AWS (DESIGN.md "Timers and cron").
 *
 * <ul>
 *   <li>Due within {@link #SQS_HORIZON} (15 min): a message on the standard {@code timers} queue
 *       with {@code DelaySeconds} (FIFO queues have no per-message delay). Second precision.
 *   <li>Later: a one-time EventBridge Scheduler {@code at()} schedule that puts the same envelope
 *       on the timers queue. It is set {@link #SCHEDULER_LEAD} (2 min) early, because Scheduler
 *       only promises to fire within a minute of its time; {@link TimerForwarder} then waits out
 *       the rest with a short SQS delay, so precision stays at seconds (never early: the forwarder
 *       and the coordinator both hold back a timer that arrives before its time). The schedule deletes
 *       itself after it fires.
 * </ul>
 *
 * <p>Idempotent: the schedule name is derived from the timer id, so a re-sent schedule() gets a
 * ConflictException (already exists) and is ignored. A short timer re-sent is a second SQS
 * message; both are forwarded with the same message id, and FIFO deduplication or the
 * coordinator drops the second.
 *
 * <p>cancel() deletes the schedule, if the timer may have one ({@link #mayHaveSchedule}). A short
 * timer already on the timers queue cannot be recalled (SQS has no delete-by-id for a delayed
 * message): it arrives and is forwarded, and the workflow ignores a TimerFired for a timer it no
 * longer has (a stale message). So a cancel only saves a stale firing; correctness never depends on it.
 */
public final class AwsTimerService implements TimerService {
  /** Longest delay SQS can do in one message. */
  public static final Duration SQS_HORIZON = Duration.ofSeconds(SqsLimits.MAX_DELAY_SECONDS);
  /** How much earlier than the timer a schedule fires (Scheduler's precision is one minute). */
  public static final Duration SCHEDULER_LEAD = Duration.ofMinutes(2);

  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final SqsClient sqs;
  private final String timersQueueUrl;
  private final SchedulerClient scheduler;
  private final String scheduleGroup;
  private final String timersQueueArn;
  private final String schedulerRoleArn;
  private final InstantSource clock;

  public AwsTimerService(SqsClient sqs, String timersQueueUrl, SchedulerClient scheduler, String scheduleGroup,
      String timersQueueArn, String schedulerRoleArn, InstantSource clock) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.timersQueueUrl = Objects.requireNonNull(timersQueueUrl, "timersQueueUrl");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.scheduleGroup = Objects.requireNonNull(scheduleGroup, "scheduleGroup");
    this.timersQueueArn = Objects.requireNonNull(timersQueueArn, "timersQueueArn");
    this.schedulerRoleArn = Objects.requireNonNull(schedulerRoleArn, "schedulerRoleArn");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void schedule(String timerId, Instant fireAt, WorkflowTaskMessage message) {
    String body = new TimerEnvelope(timerId, fireAt, message).toJson();
    // Either way the envelope ends up as a message on the timers queue.
    SqsLimits.checkSize(timersQueueUrl, "timer " + timerId, body, null);
    Duration remaining = Duration.between(clock.instant(), fireAt);
    if (remaining.compareTo(SQS_HORIZON) <= 0) {
      sqs.sendMessage(b -> b.queueUrl(timersQueueUrl).messageBody(body).delaySeconds(SqsLimits.delaySeconds(remaining))
          .messageSystemAttributes(SqsTrace.current()));
      return;
    }
    try {
      scheduler.createSchedule(b -> b
          .name(scheduleName(timerId))
          .groupName(scheduleGroup)
          .scheduleExpression(atExpression(fireAt.minus(SCHEDULER_LEAD)))
          .scheduleExpressionTimezone("UTC")
          .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
          .actionAfterCompletion(ActionAfterCompletion.DELETE)
          .description("Tempora timer " + abbreviate(timerId))
          .target(t -> t.arn(timersQueueArn).roleArn(schedulerRoleArn).input(body)));
    } catch (ConflictException alreadyScheduled) {
      // Same name = same timer id: an outbox re-send. Nothing to do.
    }
  }

  @Override
  public void cancel(String timerId, Duration scheduledFor) {
    if (!mayHaveSchedule(scheduledFor)) {
      // It went on SQS: there is nothing to delete, and a DeleteSchedule would only cost a
      // Scheduler call (latency, and a share of the account's Scheduler TPS quota) to get a 404.
      return;
    }
    try {
      scheduler.deleteSchedule(b -> b.name(scheduleName(timerId)).groupName(scheduleGroup));
    } catch (ResourceNotFoundException gone) {
      // Never scheduled (a short SQS timer), already fired and self-deleted, or already cancelled.
    }
  }

  /**
   * Whether a timer set for {@code scheduledFor} (null: unknown) may have a schedule to delete.
   *
   * <p>{@link #schedule} makes a schedule only if more than {@link #SQS_HORIZON} is left at the
   * moment it runs. That is when the outbox dispatches the batch that started the timer, after the
   * workflow task that stamped the batch's events with its own clock reading; and {@code
   * scheduledFor} is measured from that stamp. So the time left at schedule() was at most {@code
   * scheduledFor}, and a timer of at most the horizon went on SQS. (A re-send of the batch by a
   * coordinator whose clock lags the task's could see up to the clock skew more, and make a
   * schedule for a timer within that skew of the horizon. Leaving that one undeleted costs a stale
   * firing, which the workflow ignores as it does every SQS timer, and the schedule then deletes
   * itself.)
   */
  public static boolean mayHaveSchedule(Duration scheduledFor) {
    return scheduledFor == null || scheduledFor.compareTo(SQS_HORIZON) > 0;
  }

  /**
   * A valid schedule name (at most 64 of {@code [0-9a-zA-Z-_.]}) for any timer id, the same every
   * time: {@code "t-"} and the first 40 hex digits (160 bits) of the id's SHA-256.
   */
  public static String scheduleName(String timerId) {
    return "t-" + SqsLimits.sha256Hex(timerId).substring(0, 40);
  }

  /**
   * {@code at(yyyy-MM-ddTHH:mm:ss)} in UTC, rounded up to the second (later, never earlier): a
   * schedule must not fire before its time, or a clock moved to it would see the timer early.
   */
  public static String atExpression(Instant at) {
    Instant second = at.truncatedTo(ChronoUnit.SECONDS);
    return "at(" + AT.format(second.equals(at) ? at : second.plusSeconds(1)) + ")";
  }

  private static String abbreviate(String s) {
    // Description is limited to 512 characters.
    return s.length() <= 400 ? s : s.substring(0, 400) + "...";
  }
}
