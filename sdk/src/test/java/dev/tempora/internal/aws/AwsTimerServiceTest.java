package dev.tempora.internal.aws;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Timers: the short path against ElasticMQ, the long path against {@link SchedulerStub} (a
 * stand-in: no EventBridge Scheduler emulator runs offline).
 */
class AwsTimerServiceTest {
  private static final String GROUP = "tempora-timers";
  private static final String ROLE = "arn:aws:iam::123456789012:role/tempora-scheduler";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SqsTestServer server;
  private static SchedulerStub scheduler;
  private static String timersUrl;
  private static String timersArn;
  private static String workflowTasksUrl;
  private static OffsetClock clock;
  private static AwsTimerService timers;
  private static TimerForwarder forwarder;

  @BeforeAll
  static void start() throws Exception {
    server = SqsTestServer.start();
    scheduler = new SchedulerStub();
    timersUrl = server.createQueueWithDlq("timers");
    timersArn = server.arn(timersUrl);
    workflowTasksUrl = server.createQueueWithDlq("workflow-tasks.fifo");
    clock = new OffsetClock();
    timers = timerService(clock);
    forwarder = new TimerForwarder(server.sqs, timersUrl, new SqsWorkflowTaskQueue(server.sqs, workflowTasksUrl), clock);
  }

  @AfterAll
  static void stop() {
    scheduler.close();
    server.close();
  }

  @BeforeEach
  void reset() {
    clock.set(Instant.now());
    server.purge(timersUrl, workflowTasksUrl);
    scheduler.clear();
  }

  private static AwsTimerService timerService(InstantSource clock) {
    return new AwsTimerService(server.sqs, timersUrl, scheduler.client, GROUP, timersArn, ROLE, clock);
  }

  @Test
  void aShortTimerArrivesAfterItsDelayAndIsForwardedOnce() {
    RunKey run = SqsFixtures.run("short");
    WorkflowTaskMessage fired = SqsFixtures.timerFired(run, 1);
    long start = System.nanoTime();
    timers.schedule(fired.messageId(), clock.instant().plusSeconds(2), fired);

    assertEquals(2, server.sent(SendMessageRequest.class).get(0).delaySeconds());
    assertTrue(scheduler.requests.isEmpty(), "15 minutes or less: no schedule");
    assertTrue(server.receive(timersUrl, 1, 1).isEmpty(), "not before its delay");
    Message arrived = server.drain(timersUrl, 1, Duration.ofSeconds(5)).get(0);
    assertTrue((System.nanoTime() - start) / 1_000_000 >= 1900);

    assertEquals(TimerForwarder.Outcome.FORWARDED, forwarder.handle(arrived.body()));
    // Delivered twice (at-least-once): forwarded twice, kept once by FIFO deduplication.
    assertEquals(TimerForwarder.Outcome.FORWARDED, forwarder.handle(arrived.body()));
    List<Message> tasks = server.drain(workflowTasksUrl, 1, Duration.ofSeconds(2));
    assertEquals(List.of(fired), tasks.stream().map(m -> HistoryJson.readMessage(m.body())).toList());
    assertTrue(server.receive(workflowTasksUrl, 10, 0).isEmpty(), "the second forward was deduplicated");
  }

  @Test
  void aTimerAlreadyDueGoesOutWithoutDelay() {
    WorkflowTaskMessage fired = SqsFixtures.timerFired(SqsFixtures.run("past"), 1);
    timers.schedule(fired.messageId(), clock.instant().minusSeconds(5), fired);
    assertEquals(0, server.sent(SendMessageRequest.class).get(0).delaySeconds());
    assertEquals(1, server.receive(timersUrl, 1, 0).size());
  }

  @Test
  void fifteenMinutesIsTheLastDelayForSqsAndBeyondItIsAScheduleGroup() {
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    AwsTimerService fixed = timerService(InstantSource.fixed(now));
    WorkflowTaskMessage a = SqsFixtures.timerFired(SqsFixtures.run("edge"), 1);
    fixed.schedule(a.messageId(), now.plusSeconds(900), a);
    assertEquals(900, server.sent(SendMessageRequest.class).get(0).delaySeconds());
    assertTrue(scheduler.requests.isEmpty());

    WorkflowTaskMessage b = SqsFixtures.timerFired(SqsFixtures.run("edge"), 2);
    fixed.schedule(b.messageId(), now.plusSeconds(900).plusMillis(1), b);
    assertEquals(1, server.sent(SendMessageRequest.class).size(), "no second SQS message");
    assertEquals(1, scheduler.size());
  }

  @Test
  void aLongTimerBecomesASelfDeletingScheduleTwoMinutesEarly() throws Exception {
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    Instant fireAt = Instant.parse("2026-03-01T13:00:15.500Z");
    WorkflowTaskMessage fired = SqsFixtures.timerFired(SqsFixtures.run("long"), 7);
    String timerId = fired.messageId();
    timerService(InstantSource.fixed(now)).schedule(timerId, fireAt, fired);

    String name = AwsTimerService.scheduleName(timerId);
    SchedulerStub.Request request = scheduler.requests.get(0);
    assertEquals("POST", request.method());
    assertEquals("/schedules/" + name, request.path());
    JsonNode body = JSON.readTree(request.body());
    assertEquals(GROUP, body.path("GroupName").asText());
    assertEquals("at(2026-03-01T12:58:16)", body.path("ScheduleExpression").asText());
    assertEquals("UTC", body.path("ScheduleExpressionTimezone").asText());
    assertEquals("OFF", body.path("FlexibleTimeWindow").path("Mode").asText());
    assertEquals("DELETE", body.path("ActionAfterCompletion").asText());
    assertEquals(timersArn, body.path("Target").path("Arn").asText());
    assertEquals(ROLE, body.path("Target").path("RoleArn").asText());
    TimerEnvelope envelope = TimerEnvelope.fromJson(body.path("Target").path("Input").asText());
    assertEquals(new TimerEnvelope(timerId, fireAt, fired), envelope);
    assertTrue(server.sent(SendMessageRequest.class).isEmpty(), "nothing on the timers queue yet");

    // The same schedule read back through the SDK.
    GetScheduleResponse stored = scheduler.client.getSchedule(b -> b.name(name).groupName(GROUP));
    assertEquals(ActionAfterCompletion.DELETE, stored.actionAfterCompletion());
    assertEquals(FlexibleTimeWindowMode.OFF, stored.flexibleTimeWindow().mode());
    assertEquals("at(2026-03-01T12:58:16)", stored.scheduleExpression());
    assertEquals(timersArn, stored.target().arn());
  }

  @Test
  void schedulingAnAlreadyScheduledTimerIdIsANoOp() {
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    AwsTimerService fixed = timerService(InstantSource.fixed(now));
    WorkflowTaskMessage fired = SqsFixtures.timerFired(SqsFixtures.run("again"), 1);
    fixed.schedule(fired.messageId(), now.plus(Duration.ofDays(30)), fired);
    String first = scheduler.schedule(GROUP, AwsTimerService.scheduleName(fired.messageId())).toString();

    fixed.schedule(fired.messageId(), now.plus(Duration.ofDays(30)), fired); // outbox re-send: 409, ignored
    assertEquals(2, scheduler.requests.size());
    assertEquals(1, scheduler.size());
    assertEquals(first, scheduler.schedule(GROUP, AwsTimerService.scheduleName(fired.messageId())).toString());
  }

  @Test
  void cancelDeletesTheScheduleAndIgnoresOnesThatAreGone() {
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    AwsTimerService fixed = timerService(InstantSource.fixed(now));
    WorkflowTaskMessage fired = SqsFixtures.timerFired(SqsFixtures.run("cancel"), 1);
    String name = AwsTimerService.scheduleName(fired.messageId());
    fixed.schedule(fired.messageId(), now.plus(Duration.ofHours(2)), fired);
    assertEquals(1, scheduler.size());

    fixed.cancel(fired.messageId(), Duration.ofHours(2));
    SchedulerStub.Request delete = scheduler.requests.get(1);
    assertEquals("DELETE", delete.method());
    assertEquals("/schedules/" + name, delete.path());
    assertEquals(GROUP, delete.query().get("groupName"));
    assertEquals(0, scheduler.size());
    assertThrows(ResourceNotFoundException.class, () -> scheduler.client.getSchedule(b -> b.name(name).groupName(GROUP)));

    fixed.cancel(fired.messageId(), Duration.ofHours(2)); // already cancelled (or fired and self-deleted): 404, ignored
    fixed.cancel("never-scheduled", null); // length unknown: asked, though a short SQS timer has no schedule
    // create, delete, get (404), then the two ignored deletes
    assertEquals(List.of("POST", "DELETE", "GET", "DELETE", "DELETE"),
        scheduler.requests.stream().map(SchedulerStub.Request::method).toList());
  }

  @Test
  void cancelAsksSchedulerOnlyWhenTheTimerMayHaveASchedule() {
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    AwsTimerService fixed = timerService(InstantSource.fixed(now));
    WorkflowTaskMessage shortTimer = SqsFixtures.timerFired(SqsFixtures.run("lengths"), 1);
    WorkflowTaskMessage edge = SqsFixtures.timerFired(SqsFixtures.run("lengths"), 2);
    WorkflowTaskMessage longTimer = SqsFixtures.timerFired(SqsFixtures.run("lengths"), 3);
    fixed.schedule(shortTimer.messageId(), now.plus(Duration.ofMinutes(5)), shortTimer);
    fixed.schedule(edge.messageId(), now.plus(AwsTimerService.SQS_HORIZON), edge);
    fixed.schedule(longTimer.messageId(), now.plus(Duration.ofHours(1)), longTimer);
    assertEquals(2, server.sent(SendMessageRequest.class).size(), "5 and 15 minutes went on SQS");
    assertEquals(1, scheduler.size(), "the hour is a schedule");
    scheduler.requests.clear();

    fixed.cancel(shortTimer.messageId(), Duration.ofMinutes(5));
    fixed.cancel(edge.messageId(), AwsTimerService.SQS_HORIZON);
    assertEquals(List.of(), scheduler.requests, "timers of at most 15 minutes have no schedule: no call");

    fixed.cancel(shortTimer.messageId(), null);
    assertEquals(List.of("DELETE"), scheduler.requests.stream().map(SchedulerStub.Request::method).toList(),
        "length unknown: delete, as the timer may be long");

    fixed.cancel(longTimer.messageId(), Duration.ofHours(1));
    assertEquals(List.of("DELETE", "DELETE"), scheduler.requests.stream().map(SchedulerStub.Request::method).toList());
    assertEquals("/schedules/" + AwsTimerService.scheduleName(longTimer.messageId()), scheduler.requests.get(1).path());
    assertEquals(0, scheduler.size(), "the long timer's schedule is gone");

    assertFalse(AwsTimerService.mayHaveSchedule(AwsTimerService.SQS_HORIZON));
    assertTrue(AwsTimerService.mayHaveSchedule(AwsTimerService.SQS_HORIZON.plusMillis(1)));
    assertTrue(AwsTimerService.mayHaveSchedule(null));
  }

  @Test
  void anEarlyScheduleFiringIsFinishedWithAShortSqsDelay() {
    Instant fireAt = Instant.now().plus(Duration.ofHours(1));
    WorkflowTaskMessage fired = SqsFixtures.timerFired(SqsFixtures.run("early"), 3);
    timers.schedule(fired.messageId(), fireAt, fired);
    String input = scheduler.schedule(GROUP, AwsTimerService.scheduleName(fired.messageId()))
        .path("Target").path("Input").asText();

    // What Scheduler does when the schedule fires (here 2 s before the timer is due): SendMessage with the input.
    clock.set(fireAt.minusSeconds(2));
    server.sqs.sendMessage(b -> b.queueUrl(timersUrl).messageBody(input));
    Message early = server.drain(timersUrl, 1, Duration.ofSeconds(2)).get(0);
    assertEquals(TimerForwarder.Outcome.DEFERRED, forwarder.handle(early.body()));
    SendMessageRequest resent = server.sent(SendMessageRequest.class).get(1);
    assertEquals(2, resent.delaySeconds());
    assertTrue(server.receive(workflowTasksUrl, 1, 0).isEmpty(), "not forwarded early");

    Message due = server.drain(timersUrl, 1, Duration.ofSeconds(5)).get(0);
    assertEquals(TimerForwarder.Outcome.FORWARDED, forwarder.handle(due.body()));
    assertEquals(fired, HistoryJson.readMessage(server.drain(workflowTasksUrl, 1, Duration.ofSeconds(2)).get(0).body()));
  }

  @Test
  void aFiringLessThanASecondEarlyIsDeferredNotForwarded() {
    // Issue 10, difference 6: a timer is never forwarded before its time, not even by a few hundred ms.
    Instant fireAt = Instant.parse("2026-03-01T13:00:00.500Z");
    TimerForwarder early = new TimerForwarder(server.sqs, timersUrl, messages -> fail("must not forward"),
        InstantSource.fixed(fireAt.minusMillis(460)));
    String body = new TimerEnvelope("t", fireAt, SqsFixtures.timerFired(SqsFixtures.run("x"), 1)).toJson();
    assertEquals(TimerForwarder.Outcome.DEFERRED, early.handle(body));
    assertEquals(1, server.sent(SendMessageRequest.class).get(0).delaySeconds());
    List<WorkflowTaskMessage> forwarded = new ArrayList<>();
    assertEquals(TimerForwarder.Outcome.FORWARDED, new TimerForwarder(server.sqs, timersUrl, forwarded::addAll,
        InstantSource.fixed(fireAt)).handle(body), "due at its time exactly");
    assertEquals(1, forwarded.size());
  }

  @Test
  void aScheduleIsNeverSetBeforeItsTime() {
    assertEquals("at(2026-03-01T12:58:16)", AwsTimerService.atExpression(Instant.parse("2026-03-01T12:58:15.001Z")));
    assertEquals("at(2026-03-01T12:58:15)", AwsTimerService.atExpression(Instant.parse("2026-03-01T12:58:15Z")));
  }

  @Test
  void aFiringMinutesEarlyIsDeferredByAtMostFifteenMinutes() {
    Instant fireAt = Instant.parse("2026-03-01T13:00:00Z");
    TimerForwarder atTenOClock = new TimerForwarder(server.sqs, timersUrl, messages -> fail("must not forward"),
        InstantSource.fixed(fireAt.minus(Duration.ofHours(1))));
    String body = new TimerEnvelope("t", fireAt, SqsFixtures.timerFired(SqsFixtures.run("x"), 1)).toJson();
    assertEquals(TimerForwarder.Outcome.DEFERRED, atTenOClock.handle(body));
    assertEquals(900, server.sent(SendMessageRequest.class).get(0).delaySeconds());
  }

  @Test
  void scheduleNamesAreValidDistinctAndStable() {
    Set<String> names = new HashSet<>();
    for (String id : List.of("r/t/1", "r/t/2", "r/a/1/timeout", "x".repeat(5000), "ünïcödé/t/1")) {
      String name = AwsTimerService.scheduleName(id);
      assertTrue(name.matches("[0-9a-zA-Z\\-_.]{1,64}"), name);
      assertEquals(42, name.length());
      assertEquals(name, AwsTimerService.scheduleName(id));
      names.add(name);
    }
    assertEquals(5, names.size());
  }

  @Test
  void theEnvelopeHasTimerIdFireAtMillisAndTheMessage() throws Exception {
    WorkflowTaskMessage fired = SqsFixtures.timerFired(SqsFixtures.run("json"), 1);
    TimerEnvelope envelope = new TimerEnvelope("timer-1", Instant.ofEpochMilli(1_772_000_000_123L), fired);
    JsonNode json = JSON.readTree(envelope.toJson());
    assertEquals(Set.of("timerId", "fireAt", "message"), fieldNames(json));
    assertEquals(1_772_000_000_123L, json.path("fireAt").asLong());
    assertTrue(json.path("fireAt").isNumber());
    assertEquals("TimerFired", json.path("message").path("event").path("type").asText());
    assertEquals(envelope, TimerEnvelope.fromJson(envelope.toJson()));
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> out = new HashSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
