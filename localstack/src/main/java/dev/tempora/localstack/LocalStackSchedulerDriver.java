package dev.tempora.localstack;

import java.net.URI;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Fires the one-time EventBridge Scheduler schedules that LocalStack stores but never fires.
 *
 * <p>Tempora's timers longer than 15 minutes are {@code at(...)} schedules whose target is the
 * timers queue (AwsTimerService). LocalStack's Scheduler accepts, lists, returns and deletes them,
 * and that is all. {@link #fireDue()} does the missing part once: every enabled schedule of the
 * group whose {@code at()} time has come gets its target input sent to its SQS target, as
 * Scheduler would, and is then deleted if it asks for that ({@code ActionAfterCompletion=DELETE},
 * as Tempora's do). The timers-queue consumer then treats the message exactly as one sent by AWS.
 *
 * <p>At least once, like Scheduler: the send happens before the delete, so a crash in between
 * fires that schedule again on the next pass. Tempora tolerates a duplicate timer message (the
 * forwarded message keeps the timer's id: FIFO deduplication or the coordinator drops it). A
 * schedule that does not delete itself is remembered by this driver and not fired twice.
 * Recurring ({@code rate()}/{@code cron()}) schedules and non-SQS targets are left alone.
 *
 * <p>{@link #main} polls a LocalStack endpoint: {@code AWS_ENDPOINT_URL} (default
 * {@code http://localhost:4566}) and {@code TEMPORA_SCHEDULE_GROUP} (default {@code tempora}).
 */
public final class LocalStackSchedulerDriver {
  private static final Logger log = LoggerFactory.getLogger(LocalStackSchedulerDriver.class);

  /** {@code at(yyyy-mm-ddThh:mm:ss)}, the one-time expression (seconds optional in practice). */
  private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2})?)\\)");

  /** What one pass fired: the schedule, when it was due, where its input went. */
  public record Fired(String group, String name, Instant due, String targetArn, String messageId, boolean deleted) {}

  private final SchedulerClient scheduler;
  private final SqsClient sqs;
  private final String group;
  private final InstantSource clock;
  /** Fired schedules that stay (no DELETE after completion): group/name/expression. */
  private final Set<String> firedAndKept = new HashSet<>();

  public LocalStackSchedulerDriver(SchedulerClient scheduler, SqsClient sqs, String group, InstantSource clock) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.group = Objects.requireNonNull(group, "group");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One pass over the group: fires every due one-time schedule; returns what it fired. */
  public List<Fired> fireDue() {
    Instant now = clock.instant();
    List<Fired> fired = new ArrayList<>();
    for (ScheduleSummary summary : scheduler.listSchedulesPaginator(b -> b.groupName(group)).schedules()) {
      if (summary.state() == ScheduleState.DISABLED) {
        continue;
      }
      GetScheduleResponse schedule;
      try {
        schedule = scheduler.getSchedule(b -> b.groupName(group).name(summary.name()));
      } catch (ResourceNotFoundException deletedMeanwhile) {
        continue; // e.g. a timer cancelled between the list and the get
      }
      Optional<Instant> due = oneTimeFireTime(schedule.scheduleExpression(), schedule.scheduleExpressionTimezone());
      String identity = group + "/" + schedule.name() + "/" + schedule.scheduleExpression();
      if (due.isEmpty() || due.get().isAfter(now) || firedAndKept.contains(identity)
          || schedule.state() == ScheduleState.DISABLED) {
        continue;
      }
      fired.add(fire(schedule, due.get(), identity));
    }
    return fired;
  }

  private Fired fire(GetScheduleResponse schedule, Instant due, String identity) {
    var target = schedule.target();
    QueueTarget queue = QueueTarget.parse(target.arn())
        .orElseThrow(() -> new IllegalStateException("schedule " + identity + " targets " + target.arn()
            + "; this driver sends to SQS targets only (Tempora's timers target the timers queue)"));
    String url = sqs.getQueueUrl(b -> b.queueName(queue.name()).queueOwnerAWSAccountId(queue.account())).queueUrl();
    // Scheduler sends the Input verbatim; an absent input is sent as an empty JSON object, as AWS does.
    String body = target.input() == null ? "{}" : target.input();
    String groupId = target.sqsParameters() == null ? null : target.sqsParameters().messageGroupId();
    String messageId = sqs.sendMessage(b -> {
      b.queueUrl(url).messageBody(body);
      if (queue.fifo()) {
        // A FIFO target needs a group. AWS relies on the queue's content-based deduplication here;
        // an explicit id (one per schedule) works with or without it.
        b.messageGroupId(groupId).messageDeduplicationId(sha256(identity));
      }
    }).messageId();
    boolean delete = schedule.actionAfterCompletion() == ActionAfterCompletion.DELETE;
    if (delete) {
      try {
        scheduler.deleteSchedule(b -> b.groupName(group).name(schedule.name()));
      } catch (ResourceNotFoundException alreadyGone) {
        // Cancelled meanwhile: the timer message is then a stale one, which Tempora ignores.
      }
    } else {
      firedAndKept.add(identity);
    }
    log.info("fired schedule {}/{} (due {}) to {}", group, schedule.name(), due, target.arn());
    return new Fired(group, schedule.name(), due, target.arn(), messageId, delete);
  }

  /**
   * When a one-time schedule fires: the instant of an {@code at(...)} expression in the
   * schedule's time zone (UTC if none). Empty for recurring expressions ({@code rate}, {@code cron}).
   *
   * @throws IllegalArgumentException for an {@code at(...)} that is not a valid local date-time or
   *     a time zone that does not exist
   */
  public static Optional<Instant> oneTimeFireTime(String expression, String timezone) {
    if (expression == null) {
      return Optional.empty();
    }
    Matcher m = AT.matcher(expression.trim());
    if (!m.matches()) {
      if (expression.trim().startsWith("at(")) {
        throw new IllegalArgumentException("not a one-time expression Scheduler accepts: " + expression);
      }
      return Optional.empty();
    }
    try {
      ZoneId zone = timezone == null || timezone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timezone);
      return Optional.of(LocalDateTime.parse(m.group(1)).atZone(zone).toInstant());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("cannot read " + expression + " in time zone " + timezone, e);
    }
  }

  /** An SQS queue named by its ARN ({@code arn:<partition>:sqs:<region>:<account>:<name>}). */
  public record QueueTarget(String region, String account, String name) {
    public static Optional<QueueTarget> parse(String arn) {
      String[] parts = arn == null ? new String[0] : arn.split(":", 6);
      if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs") || parts[5].isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new QueueTarget(parts[3], parts[4], parts[5]));
    }

    public boolean fifo() {
      return name.endsWith(".fifo");
    }
  }

  private static String sha256(String s) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Polls LocalStack and fires due schedules until stopped. Argument: the poll interval in seconds
   * (default 10). Scheduler fires within a minute of a schedule's time, and Tempora sets its
   * schedules two minutes early, so any interval under a minute keeps timers on time.
   */
  public static void main(String[] args) throws InterruptedException {
    Duration interval = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
    URI endpoint = URI.create(System.getenv().getOrDefault("AWS_ENDPOINT_URL", "http://localhost:4566"));
    String group = System.getenv().getOrDefault("TEMPORA_SCHEDULE_GROUP", "tempora");
    Region region = Region.of(System.getenv().getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
        System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "test"),
        System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "test")));
    try (SchedulerClient scheduler = SchedulerClient.builder().endpointOverride(endpoint).region(region)
            .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
        SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(region)
            .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build()) {
      LocalStackSchedulerDriver driver = new LocalStackSchedulerDriver(scheduler, sqs, group, InstantSource.system());
      System.out.println("firing due schedules of group " + group + " at " + endpoint + " every " + interval.toSeconds() + " s");
      while (!Thread.currentThread().isInterrupted()) {
        try {
          driver.fireDue().forEach(f -> System.out.println("fired " + f.name() + " (due " + f.due() + ")"));
        } catch (RuntimeException e) {
          // LocalStack restarting or not up yet: try again on the next pass.
          System.err.println("pass failed: " + e);
        }
        Thread.sleep(interval.toMillis());
      }
    }
  }
}
