package dev.tempora.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.devserver.EmbeddedAws;
import dev.tempora.devserver.SchedulerEndpoint;
import dev.tempora.history.Event;
import dev.tempora.internal.aws.AwsTimerService;
import dev.tempora.internal.aws.TimerEnvelope;
import dev.tempora.internal.aws.TimerForwarder;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The driver against a Scheduler that, like LocalStack's, stores schedules and never fires them
 * (the devserver's stand-in on a clock stopped in 2000) and a real SQS (ElasticMQ), with
 * schedules made by Tempora's own AwsTimerService; and the parsing it relies on.
 */
class LocalStackSchedulerDriverTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final String GROUP = "tempora";
  private static final String ROLE = "arn:aws:iam::000000000000:role/tempora-scheduler";

  private static EmbeddedAws aws;
  private static SchedulerEndpoint endpoint;
  private static SchedulerClient scheduler;

  @BeforeAll
  static void start() {
    aws = EmbeddedAws.start();
    // Stopped long before any schedule of these tests is due: it stores, returns and deletes, never fires.
    endpoint = SchedulerEndpoint.start(aws.sqs(), InstantSource.fixed(Instant.parse("2000-01-01T00:00:00Z")),
        aws.credentialValues());
    scheduler = SchedulerClient.builder().endpointOverride(endpoint.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(aws.credentials()).build();
  }

  @AfterAll
  static void stop() {
    scheduler.close();
    endpoint.close();
    aws.close();
  }

  @Test
  void firesTemporaTimersWhenDueAndTheirMessagesReachTheWorkflow() {
    EmbeddedAws.Queues timers = aws.createQueue("due-timers", false, 5);
    AwsTimerService timerService = new AwsTimerService(aws.sqs(), timers.url(), scheduler, GROUP, timers.arn(), ROLE,
        InstantSource.fixed(T0));
    WorkflowTaskMessage week = timerFired("expense-2", 1);
    WorkflowTaskMessage month = timerFired("sub-1", 1);
    timerService.schedule("expense-2/timer-1", T0.plus(Duration.ofDays(7)), week);
    timerService.schedule("sub-1/timer-1", T0.plus(Duration.ofDays(30)), month);
    timerService.schedule("cancelled/timer-1", T0.plus(Duration.ofDays(7)), timerFired("cancelled", 1));
    timerService.cancel("cancelled/timer-1", Duration.ofDays(7));

    assertEquals(List.of(), driverAt(T0.plus(Duration.ofDays(1))).fireDue(), "nothing due after a day");
    assertEquals(List.of(), receive(timers.url()));

    // AwsTimerService sets the schedule 2 minutes early; at that moment it is due.
    Instant scheduled = T0.plus(Duration.ofDays(7)).minus(AwsTimerService.SCHEDULER_LEAD);
    LocalStackSchedulerDriver driver = driverAt(scheduled);
    List<LocalStackSchedulerDriver.Fired> fired = driver.fireDue();
    assertEquals(1, fired.size(), fired.toString());
    assertEquals(AwsTimerService.scheduleName("expense-2/timer-1"), fired.get(0).name());
    assertEquals(scheduled, fired.get(0).due());
    assertEquals(timers.arn(), fired.get(0).targetArn());
    assertTrue(fired.get(0).deleted(), "Tempora's schedules delete themselves after firing");
    assertEquals(List.of(AwsTimerService.scheduleName("sub-1/timer-1")), scheduleNames());
    assertEquals(List.of(), driver.fireDue(), "a fired schedule does not fire again");

    // The message is the envelope Scheduler would have sent: Tempora's timers consumer forwards it
    // once it is due (and would put it back for the remaining 2 minutes if it came early).
    List<Message> messages = receive(timers.url());
    assertEquals(1, messages.size());
    TimerEnvelope envelope = TimerEnvelope.fromJson(messages.get(0).body());
    assertEquals(week, envelope.message());
    List<WorkflowTaskMessage> forwarded = new ArrayList<>();
    TimerForwarder forwarder = new TimerForwarder(aws.sqs(), timers.url(), forwarded::addAll,
        InstantSource.fixed(envelope.fireInstant()));
    assertEquals(TimerForwarder.Outcome.FORWARDED, forwarder.handle(messages.get(0).body()));
    assertEquals(List.of(week), forwarded);

    assertEquals(1, driverAt(T0.plus(Duration.ofDays(31))).fireDue().size(), "the 30-day timer, later");
    assertEquals(List.of(), scheduleNames());
  }

  @Test
  void keptSchedulesFireOnceAndDisabledOnesNever() {
    EmbeddedAws.Queues queue = aws.createQueue("other-targets", false, 5);
    String group = "other";
    create(group, "kept", "at(2030-01-01T00:00:00)", ActionAfterCompletion.NONE, ScheduleState.ENABLED, queue.arn());
    create(group, "disabled", "at(2030-01-01T00:00:00)", ActionAfterCompletion.DELETE, ScheduleState.DISABLED, queue.arn());

    LocalStackSchedulerDriver driver = new LocalStackSchedulerDriver(scheduler, aws.sqs(), group,
        InstantSource.fixed(T0.plusSeconds(1)));
    List<LocalStackSchedulerDriver.Fired> fired = driver.fireDue();
    assertEquals(List.of("kept"), fired.stream().map(LocalStackSchedulerDriver.Fired::name).toList());
    assertFalse(fired.get(0).deleted());
    assertEquals(List.of(), driver.fireDue(), "kept, but not fired twice by the same driver");
    assertEquals(1, receive(queue.url()).size());
    assertEquals(2, scheduler.listSchedules(b -> b.groupName(group)).schedules().size());
  }

  @Test
  void readsOneTimeExpressions() {
    // Recurring expressions are not one-time: the driver leaves them (and the stand-in refuses them).
    Instant t = Instant.parse("2031-06-15T10:20:30Z");
    assertEquals(Optional.of(t), LocalStackSchedulerDriver.oneTimeFireTime(AwsTimerService.atExpression(t), "UTC"));
    assertEquals(Optional.of(t), LocalStackSchedulerDriver.oneTimeFireTime(AwsTimerService.atExpression(t), null));
    // A schedule's at() is local time in its time zone: 12:20:30 in Berlin's summer is 10:20:30 UTC.
    assertEquals(Optional.of(t), LocalStackSchedulerDriver.oneTimeFireTime("at(2031-06-15T12:20:30)", "Europe/Berlin"));
    assertEquals(Optional.empty(), LocalStackSchedulerDriver.oneTimeFireTime("rate(5 minutes)", null));
    assertEquals(Optional.empty(), LocalStackSchedulerDriver.oneTimeFireTime("cron(0 12 * * ? *)", null));
    assertThrows(IllegalArgumentException.class, () -> LocalStackSchedulerDriver.oneTimeFireTime("at(tomorrow)", null));
    assertThrows(IllegalArgumentException.class, () -> LocalStackSchedulerDriver.oneTimeFireTime("at(2031-02-30T00:00:00)", null));
    assertThrows(IllegalArgumentException.class, () -> LocalStackSchedulerDriver.oneTimeFireTime("at(2031-06-15T12:20:30)", "Mars/Olympus"));
  }

  @Test
  void readsQueueArns() {
    var q = LocalStackSchedulerDriver.QueueTarget.parse("arn:aws:sqs:eu-west-1:123456789012:tempora-timers").orElseThrow();
    assertEquals(new LocalStackSchedulerDriver.QueueTarget("eu-west-1", "123456789012", "tempora-timers"), q);
    assertFalse(q.fifo());
    assertTrue(LocalStackSchedulerDriver.QueueTarget.parse("arn:aws:sqs:us-east-1:000000000000:tasks.fifo").orElseThrow().fifo());
    assertEquals(Optional.empty(), LocalStackSchedulerDriver.QueueTarget.parse("arn:aws:lambda:us-east-1:000000000000:function:f"));
    assertEquals(Optional.empty(), LocalStackSchedulerDriver.QueueTarget.parse("not-an-arn"));
    assertEquals(Optional.empty(), LocalStackSchedulerDriver.QueueTarget.parse(null));
  }

  // ------------------------------------------------------------------------------------------

  private static LocalStackSchedulerDriver driverAt(Instant now) {
    return new LocalStackSchedulerDriver(scheduler, aws.sqs(), GROUP, InstantSource.fixed(now));
  }

  private static WorkflowTaskMessage timerFired(String workflowId, long seq) {
    return new WorkflowTaskMessage("timer-" + workflowId + "-" + seq, new RunKey("default", workflowId, "run-1"),
        new Event.TimerFired(seq));
  }

  private static List<String> scheduleNames() {
    return scheduler.listSchedules(b -> b.groupName(GROUP)).schedules().stream().map(s -> s.name()).toList();
  }

  private static void create(String group, String name, String expression, ActionAfterCompletion after,
      ScheduleState state, String targetArn) {
    scheduler.createSchedule(b -> b.groupName(group).name(name).scheduleExpression(expression)
        .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF)).actionAfterCompletion(after).state(state)
        .target(t -> t.arn(targetArn).roleArn(ROLE).input("{\"schedule\":\"" + name + "\"}")));
  }

  private static List<Message> receive(String queueUrl) {
    return aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
  }
}
