package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleActionResult;
import dev.tempora.client.schedules.ScheduleActionStartWorkflow;
import dev.tempora.client.schedules.ScheduleBackfill;
import dev.tempora.client.schedules.ScheduleClient;
import dev.tempora.client.schedules.ScheduleDescription;
import dev.tempora.client.schedules.ScheduleHandle;
import dev.tempora.client.schedules.ScheduleIntervalSpec;
import dev.tempora.client.schedules.ScheduleNotFoundException;
import dev.tempora.client.schedules.ScheduleOverlapPolicy;
import dev.tempora.client.schedules.SchedulePolicy;
import dev.tempora.client.schedules.ScheduleSpec;
import dev.tempora.internal.aws.AwsScheduleTicker;
import dev.tempora.internal.client.WorkflowClientImpl;
import dev.tempora.internal.schedules.ScheduleService;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;


/**
 * Issue 12's schedule scenarios on both stacks: in memory under the virtual clock, and on the
 * embedded AWS stack through the real Scheduler SDK calls (one recurring cron() schedule per
 * schedule in the devserver's Scheduler stand-in, which fires under the movable clock), the
 * schedules queue's handler and DynamoDB Local. The overlap scenarios fire every 30 seconds: on AWS
 * that is a rate() tick and an SQS delay for each firing's seconds, which the embedded stack's clock
 * skips over like any delayed message.
 */
class SchedulesOnBothStacksTest {

  @WorkflowInterface
  public interface Job {
    /** Returns at once, or when {@code finish} is signalled if {@code wait}. */
    @WorkflowMethod
    String run(boolean wait);

    @SignalMethod
    void finish();
  }

  public static class JobImpl implements Job {
    private boolean finished;

    @Override
    public String run(boolean wait) {
      if (wait) {
        Workflow.await(() -> finished);
      }
      return Workflow.getInfo().workflowId();
    }

    @Override
    public void finish() {
      finished = true;
    }
  }

  public static class JobSetup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(JobImpl.class);
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(new JobSetup());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server, Instant.parse("2026-01-01T00:00:17Z"));
    env.registerWorkflowImplementationTypes(JobImpl.class);
    return env;
  }

  static Schedule everyMinute(boolean wait, ScheduleOverlapPolicy overlap) {
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(Job.class).setArguments(wait).build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("* * * * *")).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(overlap).build())
        .build();
  }

  /** Every 30 seconds (epoch-aligned): on AWS a rate() tick and SQS delays for the seconds. */
  static Schedule every30Seconds(boolean wait, ScheduleOverlapPolicy overlap) {
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(Job.class).setArguments(wait).build())
        .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(HALF_MINUTE))).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(overlap).build())
        .build();
  }

  private static final Duration HALF_MINUTE = Duration.ofSeconds(30);

  private static List<String> actionIds(ScheduleDescription d) {
    return d.info().recentActions().stream().map(r -> r.action().workflowId()).toList();
  }

  private static List<String> running(ScheduleDescription d) {
    return d.info().runningActions().stream().map(WorkflowExecution::workflowId).toList();
  }

  /** The ids of the actions at the given 30-second fire times after {@code from} (1: the first one after it). */
  private static List<String> ids(String scheduleId, Instant from, int... halfMinutes) {
    Instant first = Instant.ofEpochSecond(from.getEpochSecond() - from.getEpochSecond() % 30);
    List<String> out = new ArrayList<>();
    for (int m : halfMinutes) {
      out.add(scheduleId + "-" + first.plus(HALF_MINUTE.multipliedBy(m)));
    }
    return out;
  }

  private static void finish(WorkflowClient client, String workflowId) {
    client.newWorkflowStub(Job.class, workflowId).finish();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void skipCountsTheActionsDueWhileTheRunIsOpen(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      ScheduleClient schedules = ScheduleClient.newInstance(client);
      String id = "skip-" + stack;
      Instant t0 = env.currentTime();
      ScheduleHandle h = schedules.createSchedule(id, every30Seconds(true, ScheduleOverlapPolicy.SKIP));
      try {
        if (stack.equals("embedded-aws")) { // seconds: Scheduler ticks at a rate, SQS delays place the firings
          String name = AwsScheduleTicker.scheduleName(server.runtime().config.namespace(), id);
          assertEquals("rate(10 minutes)", server.runtime().clients.scheduler()
              .getSchedule(b -> b.name(name).groupName(server.runtime().config.scheduleGroup())).scheduleExpression());
        }
        env.sleep(HALF_MINUTE.multipliedBy(3));
        ScheduleDescription d = h.describe();
        assertEquals(ids(id, t0, 1), actionIds(d));
        assertEquals(2, d.info().numActionsSkippedOverlap());
        assertEquals(ids(id, t0, 1), running(d));
        finish(client, ids(id, t0, 1).getFirst());
        env.sleep(HALF_MINUTE);
        assertEquals(ids(id, t0, 1, 4), actionIds(h.describe()));
        assertEquals(10, h.describe().info().nextActionTimes().size());
      } finally {
        h.delete();
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void bufferOneStartsTheBufferedActionWhenTheRunCloses(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "buffer-" + stack;
      Instant t0 = env.currentTime();
      ScheduleHandle h = ScheduleClient.newInstance(client).createSchedule(id, every30Seconds(true, ScheduleOverlapPolicy.BUFFER_ONE));
      try {
        env.sleep(HALF_MINUTE.multipliedBy(3));
        ScheduleDescription d = h.describe();
        assertEquals(ids(id, t0, 1), actionIds(d));
        assertEquals(1, d.info().bufferedActions());
        assertEquals(1, d.info().numBufferDropped());
        finish(client, ids(id, t0, 1).getFirst()); // its close starts the buffered action (minute 2)
        env.awaitIdle();
        assertEquals(ids(id, t0, 1, 2), actionIds(h.describe()));
        assertEquals(ids(id, t0, 2), running(h.describe()));
      } finally {
        h.delete();
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void allowAllPauseUnpauseAndTrigger(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "allow-" + stack;
      Instant t0 = env.currentTime();
      ScheduleHandle h = ScheduleClient.newInstance(client).createSchedule(id, every30Seconds(true, ScheduleOverlapPolicy.ALLOW_ALL));
      try {
        env.sleep(HALF_MINUTE.multipliedBy(2));
        assertEquals(ids(id, t0, 1, 2), running(h.describe()));
        h.pause("maintenance");
        env.sleep(HALF_MINUTE.multipliedBy(2));
        assertEquals(2, h.describe().info().numActions());
        assertEquals("maintenance", h.describe().schedule().getState().getNote());
        h.unpause();
        env.sleep(HALF_MINUTE);
        assertEquals(ids(id, t0, 1, 2, 5), actionIds(h.describe()));
        Instant before = env.currentTime().truncatedTo(ChronoUnit.SECONDS);
        h.trigger();
        Instant triggered = h.describe().info().recentActions().getLast().scheduledAt();
        assertTrue(!triggered.isBefore(before) && !triggered.isAfter(env.currentTime()), triggered.toString());
        assertEquals(id + "-" + triggered, actionIds(h.describe()).getLast());
        assertEquals(4, h.describe().info().runningActions().size());
      } finally {
        h.delete();
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void backfillOfOneHourStartsTheExpectedRunsInOrder(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      String id = "backfill-" + stack;
      Instant hour = env.currentTime().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
      ScheduleHandle h = ScheduleClient.newInstance(env.getWorkflowClient()).createSchedule(id, Schedule.newBuilder()
          .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(Job.class).setArguments(false).build())
          .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("*/10 * * * *")).build())
          .build());
      try {
        h.backfill(List.of(new ScheduleBackfill(hour, hour.plus(Duration.ofHours(1)), ScheduleOverlapPolicy.BUFFER_ALL)));
        env.awaitIdle();
        List<String> expected = new ArrayList<>();
        for (int m = 0; m < 60; m += 10) {
          expected.add(id + "-" + hour.plus(Duration.ofMinutes(m)));
        }
        ScheduleDescription d = h.describe();
        assertEquals(expected, actionIds(d));
        assertEquals(List.of(), running(d));
        assertEquals(0, d.info().bufferedActions());
        assertEquals(6, d.info().numActions());
      } finally {
        h.delete();
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void nightlyInBerlinFiresAcrossTheSpringDstChange(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      String id = "nightly-" + stack;
      int year = env.currentTime().atZone(ZoneOffset.UTC).getYear() + 1;
      // The last Sunday of March: Berlin skips from 02:00 to 03:00.
      LocalDate change = LocalDate.of(year, 3, 31)
          .with(TemporalAdjusters.lastInMonth(DayOfWeek.SUNDAY));
      Instant before = change.minusDays(2).atTime(12, 0).toInstant(ZoneOffset.UTC);
      env.sleep(Duration.between(env.currentTime(), before));
      ScheduleHandle h = ScheduleClient.newInstance(env.getWorkflowClient()).createSchedule(id, Schedule.newBuilder()
          .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(Job.class).setArguments(false).build())
          .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 2 * * *")).setTimeZoneName("Europe/Berlin").build())
          .build());
      try {
        env.sleep(Duration.ofDays(4));
        List<Instant> expected = List.of(change.minusDays(1).atTime(1, 0).toInstant(ZoneOffset.UTC),
            change.atTime(1, 0).toInstant(ZoneOffset.UTC), // 03:00 CEST: 02:00 does not exist
            change.plusDays(1).atTime(0, 0).toInstant(ZoneOffset.UTC),
            change.plusDays(2).atTime(0, 0).toInstant(ZoneOffset.UTC));
        List<ScheduleActionResult> actions = h.describe().info().recentActions();
        assertEquals(expected, actions.stream().map(ScheduleActionResult::scheduledAt).toList());
        for (ScheduleActionResult a : actions) { // on time (the embedded stack's clock runs on between steps)
          assertTrue(Duration.between(a.scheduledAt(), a.startedAt()).compareTo(Duration.ofMinutes(1)) < 0, a.toString());
        }
      } finally {
        h.delete();
      }
    }
  }

  /** The embedded stack only: what is in the Scheduler stand-in, through the real SDK client. */
  @Test
  void oneRecurringSchedulerScheduleWhichACrashBetweenTheWritesDoesNotOrphanOrLose() {
    AwsScheduleTicker ticker = server.runtime().scheduleTicker;
    ScheduleService service = ((WorkflowClientImpl) server.client()).schedules();
    ScheduleClient schedules = ScheduleClient.newInstance(server.client());
    String name = AwsScheduleTicker.scheduleName(server.runtime().config.namespace(), "crash");
    String group = server.runtime().config.scheduleGroup();
    var sdk = server.runtime().clients.scheduler();

    // A crash after the item write, before the Scheduler schedule: none exists yet...
    service.afterItemWrite(() -> {
      throw new IllegalStateException("coordinator crashed");
    });
    assertThrows(IllegalStateException.class, () -> schedules.createSchedule("crash", everyMinute(false, ScheduleOverlapPolicy.SKIP)));
    service.afterItemWrite(null);
    assertThrows(ResourceNotFoundException.class,
        () -> sdk.getSchedule(b -> b.name(name).groupName(group)));
    // ...the restarted engine repairs it, and it ticks.
    service.repairAll();
    GetScheduleResponse s = sdk.getSchedule(b -> b.name(name).groupName(group));
    assertEquals("cron(* * * * ? *)", s.scheduleExpression());
    assertTrue(s.target().input().contains("<aws.scheduler.scheduled-time>"));
    TestWorkflowEnvironment env = environment("embedded-aws");
    env.sleep(Duration.ofMinutes(1));
    assertEquals(1, schedules.getHandle("crash").describe().info().numActions());

    // A crash during pause, after its item write: paused, the Scheduler schedule untouched (pause never
    // writes it), so nothing to orphan; unpaused, the next firing is taken.
    service.afterItemWrite(() -> {
      throw new IllegalStateException("coordinator crashed");
    });
    assertThrows(IllegalStateException.class, () -> schedules.getHandle("crash").pause("crashing"));
    service.afterItemWrite(null);
    assertTrue(schedules.getHandle("crash").describe().schedule().getState().isPaused());
    assertEquals("cron(* * * * ? *)", sdk.getSchedule(b -> b.name(name).groupName(group)).scheduleExpression());
    env.sleep(Duration.ofMinutes(1));
    assertEquals(1, schedules.getHandle("crash").describe().info().numActions());
    schedules.getHandle("crash").unpause();
    env.sleep(Duration.ofMinutes(1));
    assertEquals(2, schedules.getHandle("crash").describe().info().numActions());

    // A crash during update, after the item write: the old Scheduler schedule's next tick repairs it.
    service.afterItemWrite(() -> {
      throw new IllegalStateException("coordinator crashed");
    });
    assertThrows(IllegalStateException.class, () -> schedules.getHandle("crash").update(d -> d.schedule().toBuilder()
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("*/2 * * * *")).build()).build()));
    service.afterItemWrite(null);
    assertEquals("cron(* * * * ? *)", sdk.getSchedule(b -> b.name(name).groupName(group)).scheduleExpression());
    env.sleep(Duration.ofMinutes(1));
    assertTrue(sdk.getSchedule(b -> b.name(name).groupName(group)).scheduleExpression().startsWith("cron(0,2,4,"));

    // A crash during delete, after the item is marked: the next tick finds it and removes the Scheduler schedule.
    service.afterItemWrite(() -> {
      throw new IllegalStateException("coordinator crashed");
    });
    assertThrows(IllegalStateException.class, () -> schedules.getHandle("crash").delete());
    service.afterItemWrite(null);
    env.sleep(Duration.ofMinutes(2));
    assertThrows(ResourceNotFoundException.class,
        () -> sdk.getSchedule(b -> b.name(name).groupName(group)));
    assertThrows(ScheduleNotFoundException.class, () -> schedules.getHandle("crash").describe());
    long actions = server.client().listExecutions(ListExecutionsRequest.all()).stream()
        .filter(i -> i.execution().workflowId().startsWith("crash-")).count();
    assertTrue(actions >= 2 && actions <= 3, actions + " actions");
  }
}
