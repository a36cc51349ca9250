package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;
import software.amazon.awssdk.services.scheduler.model.ValidationException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;


class SchedulerEndpointTest {

  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final String ROLE = "arn:aws:iam::000000000000:role/scheduler";

  private final EmbeddedAws aws = TestAws.get();
  private final SqsClient sqs = aws.sqs();
  private SchedulerEndpoint endpoint;
  private SchedulerClient scheduler;
  private EmbeddedAws.Queues queue;

  @BeforeEach
  void start() {
    endpoint = SchedulerEndpoint.start(sqs, aws.credentialValues());
    scheduler =
        SchedulerClient.builder()
            .endpointOverride(endpoint.endpoint())
            .region(EmbeddedAws.REGION)
            .credentialsProvider(aws.credentials())
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
    queue = aws.createQueue(TestAws.uniqueName("timers"), false, 3);
  }

  @AfterEach
  void stop() {
    scheduler.close();
    endpoint.close();
  }

  private static String at(Instant t) {
    return "at(" + AT.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)) + ")";
  }

  private CreateScheduleRequest.Builder oneTime(String name, Instant when, String input) {
    return CreateScheduleRequest.builder()
        .name(name)
        .scheduleExpression(at(when))
        .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
        .actionAfterCompletion(ActionAfterCompletion.DELETE)
        .target(t -> t.arn(queue.arn()).roleArn(ROLE).input(input));
  }

  private List<Message> receive(String url, int waitSeconds) {
    return sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(waitSeconds).maxNumberOfMessages(10)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
  }

  @Test
  void aTwentyMinuteTimerFiresOnceWhenTheClockIsAdvancedAndIsThenGone() throws Exception {
    Instant due = endpoint.now().plus(Duration.ofMinutes(20));
    String arn = scheduler.createSchedule(oneTime("timer-20m", due, "{\"timer\":\"t1\"}").build()).scheduleArn();
    assertEquals(SchedulerEndpoint.scheduleArn("default", "timer-20m"), arn);

    GetScheduleResponse got = scheduler.getSchedule(b -> b.name("timer-20m"));
    assertEquals(arn, got.arn());
    assertEquals("default", got.groupName());
    assertEquals(at(due), got.scheduleExpression());
    assertEquals(ScheduleState.ENABLED, got.state());
    assertEquals(ActionAfterCompletion.DELETE, got.actionAfterCompletion());
    assertEquals(queue.arn(), got.target().arn());
    assertEquals(ROLE, got.target().roleArn());
    assertEquals("{\"timer\":\"t1\"}", got.target().input());
    assertEquals(FlexibleTimeWindowMode.OFF, got.flexibleTimeWindow().mode());
    assertNotNull(got.creationDate());
    assertTrue(Duration.between(got.creationDate(), Instant.now()).abs().getSeconds() < 5);

    Thread.sleep(300); // a few ticks: not due yet
    assertEquals(List.of(), receive(queue.url(), 0));

    endpoint.advanceClock(Duration.ofMinutes(20).plusSeconds(1));
    List<Message> fired = receive(queue.url(), 5);
    assertEquals(List.of("{\"timer\":\"t1\"}"), fired.stream().map(Message::body).toList());
    sqs.deleteMessage(b -> b.queueUrl(queue.url()).receiptHandle(fired.get(0).receiptHandle()));

    Thread.sleep(300);
    assertEquals(List.of(), receive(queue.url(), 0), "fired exactly once");
    assertEquals(1, endpoint.fired());
    assertThrows(ResourceNotFoundException.class, () -> scheduler.getSchedule(b -> b.name("timer-20m")), "deleted after completion");
    assertEquals(0, endpoint.size());
  }

  @Test
  void aDeletedScheduleNeverFires() throws Exception {
    scheduler.createSchedule(oneTime("cancelled", endpoint.now().plus(Duration.ofMinutes(10)), "{}").build());
    scheduler.deleteSchedule(b -> b.name("cancelled"));
    endpoint.advanceClock(Duration.ofHours(1));
    Thread.sleep(300);
    assertEquals(List.of(), receive(queue.url(), 0));
    assertEquals(0, endpoint.fired());
    ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class, () -> scheduler.deleteSchedule(b -> b.name("cancelled")));
    assertEquals(404, e.statusCode());
  }

  @Test
  void aDuplicateNameInTheSameGroupIsAConflict() {
    Instant later = endpoint.now().plus(Duration.ofHours(1));
    scheduler.createSchedule(oneTime("dup", later, "{}").build());
    ConflictException e = assertThrows(ConflictException.class, () -> scheduler.createSchedule(oneTime("dup", later, "{}").build()));
    assertEquals(409, e.statusCode());
    assertEquals("ConflictException", e.awsErrorDetails().errorCode());
    // The same name in another group is another schedule.
    scheduler.createSchedule(oneTime("dup", later, "{}").groupName("workflows").build());
    assertEquals("workflows", scheduler.getSchedule(b -> b.name("dup").groupName("workflows")).groupName());
    assertThrows(ResourceNotFoundException.class, () -> scheduler.getSchedule(b -> b.name("dup").groupName("other")));
  }

  @Test
  void unsupportedOrInvalidSchedulesAreValidationErrors() {
    Instant later = endpoint.now().plus(Duration.ofHours(1));
    assertThrows(ValidationException.class, () -> scheduler.createSchedule(oneTime("r", later, "{}").scheduleExpression("rate(0 minutes)").build()));
    assertThrows(ValidationException.class, () -> scheduler.createSchedule(oneTime("w", later, "{}").scheduleExpression("rate(5 weeks)").build()));
    assertThrows(ValidationException.class, () -> scheduler.createSchedule(oneTime("c", later, "{}").scheduleExpression("cron(0 12 * * *)").build()));
    assertThrows(ValidationException.class, () -> scheduler.createSchedule(oneTime("d", later, "{}").scheduleExpression("cron(0 25 * * ? *)").build()));
    assertThrows(ValidationException.class,
        () -> scheduler.createSchedule(oneTime("l", later, "{}").target(t -> t.arn(LambdaInvokeEndpoint.functionArn("f")).roleArn(ROLE)).build()));
    assertThrows(ValidationException.class,
        () -> scheduler.createSchedule(oneTime("z", later, "{}").scheduleExpressionTimezone("Mars/Olympus").build()));
    assertThrows(ValidationException.class, () -> scheduler.createSchedule(oneTime("bad name!", later, "{}").build()));
    assertEquals(0, endpoint.size());
  }

  /**
   * Recurring schedules (issue 12): cron() in its zone across a DST change as Scheduler documents
   * it (the nonexistent 02:30 is skipped, the repeated 02:30 fires once), rate() from its start, the
   * scheduled time filled into the input, and EndDate.
   */
  @Test
  void cronAndRateSchedulesRecurUnderTheMovableClock() {
    endpoint.setClock(InstantSource.fixed(Instant.parse("2030-03-30T12:00:00Z")));
    scheduler.createSchedule(oneTime("berlin", Instant.EPOCH, "{\"at\":\"<aws.scheduler.scheduled-time>\"}")
        .scheduleExpression("cron(30 2 * * ? *)").scheduleExpressionTimezone("Europe/Berlin")
        .actionAfterCompletion(ActionAfterCompletion.NONE).build());
    // 2030-03-31 is the spring-forward night in Berlin: 02:30 does not exist that day.
    List<String> got = new ArrayList<>();
    for (int day = 0; day < 3; day++) {
      endpoint.advanceClock(Duration.ofDays(1));
      receive(queue.url(), 2).forEach(m -> got.add(m.body()));
    }
    assertEquals(List.of("{\"at\":\"2030-04-01T00:30:00Z\"}", "{\"at\":\"2030-04-02T00:30:00Z\"}"), got);
    scheduler.deleteSchedule(b -> b.name("berlin"));

    endpoint.setClock(InstantSource.fixed(Instant.parse("2030-10-26T12:00:00Z")));
    scheduler.createSchedule(oneTime("fallback", Instant.EPOCH, "{\"at\":\"<aws.scheduler.scheduled-time>\"}")
        .scheduleExpression("cron(30 2 * * ? *)").scheduleExpressionTimezone("Europe/Berlin").build());
    got.clear();
    for (int hour = 0; hour < 24; hour++) { // 2030-10-27: 02:30 happens twice in Berlin
      endpoint.advanceClock(Duration.ofHours(1));
      receive(queue.url(), 0).forEach(m -> got.add(m.body()));
    }
    receive(queue.url(), 2).forEach(m -> got.add(m.body()));
    assertEquals(List.of("{\"at\":\"2030-10-27T00:30:00Z\"}"), got);
    scheduler.deleteSchedule(b -> b.name("fallback"));

    endpoint.setClock(InstantSource.fixed(Instant.parse("2030-01-01T00:00:00Z")));
    scheduler.createSchedule(oneTime("rate", Instant.EPOCH, "{\"at\":\"<aws.scheduler.scheduled-time>\"}")
        .scheduleExpression("rate(10 minutes)").endDate(Instant.parse("2030-01-01T00:25:00Z")).build());
    got.clear();
    for (int i = 0; i < 4; i++) {
      receive(queue.url(), 2).forEach(m -> got.add(m.body()));
      endpoint.advanceClock(Duration.ofMinutes(10));
    }
    assertEquals(List.of("{\"at\":\"2030-01-01T00:00:00Z\"}", "{\"at\":\"2030-01-01T00:10:00Z\"}",
        "{\"at\":\"2030-01-01T00:20:00Z\"}"), got);
  }

  @Test
  void timeZonesActionNoneAndAFixedClock() throws Exception {
    endpoint.setClock(InstantSource.fixed(Instant.parse("2030-01-01T14:59:59Z")));
    // 10:00 in New York on 1 January is 15:00 UTC.
    scheduler.createSchedule(oneTime("ny", Instant.EPOCH, "{\"tz\":true}")
        .scheduleExpression("at(2030-01-01T10:00:00)")
        .scheduleExpressionTimezone("America/New_York")
        .actionAfterCompletion(ActionAfterCompletion.NONE)
        .build());
    assertEquals(List.of(), receive(queue.url(), 1), "one second early");
    endpoint.setClock(InstantSource.fixed(Instant.parse("2030-01-01T15:00:00Z")));
    assertEquals(List.of("{\"tz\":true}"), receive(queue.url(), 5).stream().map(Message::body).toList());
    // NONE: the schedule stays, and does not fire again.
    endpoint.advanceClock(Duration.ofDays(1));
    assertEquals(ScheduleState.ENABLED, scheduler.getSchedule(b -> b.name("ny")).state());
    Thread.sleep(300); // a few ticks
    assertEquals(1, endpoint.fired(), "no second firing");
    assertEquals(List.of(), receive(queue.url(), 0));
  }

  @Test
  void aFifoTargetGetsTheMessageGroupId() {
    EmbeddedAws.Queues fifo = aws.createQueue(TestAws.uniqueName("fifo-timers"), true, 3,
        Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
    assertThrows(ValidationException.class, () -> scheduler.createSchedule(oneTime("no-group", endpoint.now(), "{}")
        .target(t -> t.arn(fifo.arn()).roleArn(ROLE).input("{}")).build()), "MessageGroupId is required for FIFO");
    scheduler.createSchedule(oneTime("fifo", endpoint.now().minusSeconds(1), "{\"f\":1}")
        .target(t -> t.arn(fifo.arn()).roleArn(ROLE).input("{\"f\":1}").sqsParameters(p -> p.messageGroupId("wf-42"))).build());
    List<Message> got = receive(fifo.url(), 5);
    assertEquals(1, got.size());
    assertEquals("{\"f\":1}", got.get(0).body());
    assertEquals("wf-42", got.get(0).attributesAsStrings().get("MessageGroupId"));
  }

  @Test
  void listSchedulesFiltersAndPages() {
    Instant later = endpoint.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    for (String name : List.of("wf-a", "wf-b", "wf-c", "other")) scheduler.createSchedule(oneTime(name, later, "{}").build());
    scheduler.createSchedule(oneTime("wf-d", later, "{}").state(ScheduleState.DISABLED).build());
    List<String> names = scheduler.listSchedulesPaginator(b -> b.namePrefix("wf-").state(ScheduleState.ENABLED).maxResults(2))
        .schedules().stream().map(ScheduleSummary::name).toList();
    assertEquals(List.of("wf-a", "wf-b", "wf-c"), names);
    ScheduleSummary first = scheduler.listSchedules(b -> b.groupName("default").namePrefix("other")).schedules().get(0);
    assertEquals(queue.arn(), first.target().arn());
    assertEquals(SchedulerEndpoint.scheduleArn("default", "other"), first.arn());
    assertEquals(List.of(), scheduler.listSchedules(b -> b.groupName("elsewhere")).schedules());
  }
}
