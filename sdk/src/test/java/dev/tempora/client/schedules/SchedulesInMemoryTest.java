package dev.tempora.client.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowExecutionInfo;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.internal.client.WorkflowClientImpl;
import dev.tempora.internal.schedules.ScheduleService;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


/** Schedules on the in-memory engine, under its virtual clock (issue 12's acceptance, in memory). */
class SchedulesInMemoryTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @WorkflowInterface
  public interface Job {
    @WorkflowMethod
    String run(int seconds);
  }

  public static class JobImpl implements Job {
    @Override
    public String run(int seconds) {
      if (seconds < 0) {
        throw ApplicationFailure.newNonRetryableFailure("asked to fail", "Failing");
      }
      Workflow.sleep(Duration.ofSeconds(seconds));
      return Workflow.getInfo().workflowId();
    }
  }

  private TestWorkflowEnvironment env;
  private ScheduleClient schedules;
  private WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setStartTime(T0).build());
    env.registerWorkflowImplementationTypes(JobImpl.class);
    client = env.getWorkflowClient();
    schedules = ScheduleClient.newInstance(client);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static Schedule every30s(int jobSeconds, ScheduleOverlapPolicy overlap) {
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(Job.class).setArguments(jobSeconds).build())
        .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofSeconds(30)))).build())
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(overlap).build())
        .build();
  }

  private List<String> actionIds(ScheduleDescription d) {
    return d.info().recentActions().stream().map(r -> r.action().workflowId()).toList();
  }

  @Test
  void skipWhileThePreviousRunIsOpen() {
    ScheduleHandle h = schedules.createSchedule("job", every30s(70, ScheduleOverlapPolicy.SKIP));
    env.sleep(Duration.ofMinutes(3));
    ScheduleDescription d = h.describe();
    assertEquals(List.of("job-2026-01-01T00:00:30Z", "job-2026-01-01T00:02:00Z"), actionIds(d));
    assertEquals(2, d.info().numActions());
    assertEquals(4, d.info().numActionsSkippedOverlap());
    assertEquals(List.of("job-2026-01-01T00:02:00Z"), d.info().runningActions().stream().map(WorkflowExecution::workflowId).toList());
    assertEquals(10, d.info().nextActionTimes().size());
    assertEquals(Instant.parse("2026-01-01T00:03:30Z"), d.info().nextActionTimes().getFirst());
  }

  @Test
  void bufferOneStartsOneBufferedActionWhenTheOpenOneCloses() {
    ScheduleHandle h = schedules.createSchedule("job", every30s(70, ScheduleOverlapPolicy.BUFFER_ONE));
    env.sleep(Duration.ofMinutes(3));
    ScheduleDescription d = h.describe();
    assertEquals(List.of("job-2026-01-01T00:00:30Z", "job-2026-01-01T00:01:00Z", "job-2026-01-01T00:02:00Z"), actionIds(d));
    assertEquals(List.of(T0.plusSeconds(30), T0.plusSeconds(100), T0.plusSeconds(170)),
        d.info().recentActions().stream().map(ScheduleActionResult::startedAt).toList());
    assertEquals(2, d.info().numBufferDropped());
    assertEquals(1, d.info().bufferedActions());
    assertEquals(0, d.info().numActionsSkippedOverlap());
  }

  @Test
  void allowAllStartsEveryAction() {
    ScheduleHandle h = schedules.createSchedule("job", every30s(70, ScheduleOverlapPolicy.ALLOW_ALL));
    env.sleep(Duration.ofMinutes(3));
    ScheduleDescription d = h.describe();
    assertEquals(6, d.info().numActions());
    assertEquals(3, d.info().runningActions().size());
    assertEquals(0, d.info().numActionsSkippedOverlap());
  }

  @Test
  void terminateOtherReplacesTheOpenRun() {
    ScheduleHandle h = schedules.createSchedule("job", every30s(70, ScheduleOverlapPolicy.TERMINATE_OTHER));
    env.sleep(Duration.ofMinutes(1));
    ScheduleDescription d = h.describe();
    assertEquals(2, d.info().numActions());
    assertEquals(List.of("job-2026-01-01T00:01:00Z"), d.info().runningActions().stream().map(WorkflowExecution::workflowId).toList());
    assertEquals(WorkflowExecutionStatus.TERMINATED,
        client.describe("job-2026-01-01T00:00:30Z").status());
  }

  @Test
  void cancelOtherCancelsTheOpenRunAndStartsWhenItHasClosed() {
    ScheduleHandle h = schedules.createSchedule("job", every30s(70, ScheduleOverlapPolicy.CANCEL_OTHER));
    env.sleep(Duration.ofMinutes(1));
    ScheduleDescription d = h.describe();
    assertEquals(List.of("job-2026-01-01T00:00:30Z", "job-2026-01-01T00:01:00Z"), actionIds(d));
    assertEquals(WorkflowExecutionStatus.CANCELED, client.describe("job-2026-01-01T00:00:30Z").status());
    assertEquals(List.of("job-2026-01-01T00:01:00Z"), d.info().runningActions().stream().map(WorkflowExecution::workflowId).toList());
    assertEquals(0, d.info().bufferedActions());
  }

  @Test
  void bufferAllStartsEachInTurn() {
    ScheduleHandle h = schedules.createSchedule("job", every30s(40, ScheduleOverlapPolicy.BUFFER_ALL));
    env.sleep(Duration.ofMinutes(2));
    ScheduleDescription d = h.describe();
    // 00:30 runs to 01:10, 01:00 to 01:50, 01:30 from 01:50; 02:00 waits.
    assertEquals(List.of(T0.plusSeconds(30), T0.plusSeconds(70), T0.plusSeconds(110)),
        d.info().recentActions().stream().map(ScheduleActionResult::startedAt).toList());
    assertEquals(1, d.info().bufferedActions());
  }

  @Test
  void pauseAndUnpause() {
    ScheduleHandle h = schedules.createSchedule("job", every30s(1, ScheduleOverlapPolicy.SKIP));
    env.sleep(Duration.ofSeconds(31));
    h.pause("maintenance");
    env.sleep(Duration.ofMinutes(2));
    ScheduleDescription paused = h.describe();
    assertTrue(paused.schedule().getState().isPaused());
    assertEquals("maintenance", paused.schedule().getState().getNote());
    assertEquals(1, paused.info().numActions());
    assertEquals(List.of(), paused.info().nextActionTimes());
    h.unpause();
    env.sleep(Duration.ofSeconds(30));
    assertEquals(2, h.describe().info().numActions());
    assertEquals("job-2026-01-01T00:03:00Z", actionIds(h.describe()).getLast());
  }

  @Test
  void triggerNowAndTriggerImmediately() {
    ScheduleHandle h = schedules.createSchedule("job", every30s(1, ScheduleOverlapPolicy.SKIP),
        ScheduleOptions.newBuilder().setTriggerImmediately(true).build());
    env.sleep(Duration.ofSeconds(10));
    h.trigger();
    assertEquals(List.of("job-2026-01-01T00:00:00Z", "job-2026-01-01T00:00:10Z"), actionIds(h.describe()));
    h.trigger(); // the same second: the same workflow id, nothing new
    assertEquals(2, h.describe().info().numActions());
  }

  @Test
  void backfillOfOneHourStartsTheExpectedRunsInOrder() {
    env.sleep(Duration.ofHours(2));
    Schedule fiveMinutes = Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(Job.class).setArguments(60).build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("*/5 * * * *")).build())
        .build();
    ScheduleHandle h = schedules.createSchedule("report", fiveMinutes);
    h.backfill(List.of(new ScheduleBackfill(T0, T0.plus(Duration.ofHours(1)), ScheduleOverlapPolicy.BUFFER_ALL)));
    env.sleep(Duration.ofMinutes(15)); // each run takes a minute, one after the other (BUFFER_ALL)
    List<WorkflowExecutionInfo> runs = client.listExecutions(ListExecutionsRequest.all())
        .stream().filter(i -> i.execution().workflowId().startsWith("report-2026-01-01T00:"))
        .sorted(Comparator.comparing(WorkflowExecutionInfo::startTime)).toList();
    List<String> expected = new ArrayList<>();
    for (int m = 0; m < 60; m += 5) {
      expected.add("report-" + T0.plus(Duration.ofMinutes(m)));
    }
    assertEquals(expected, runs.stream().map(i -> i.execution().workflowId()).toList());
    for (int i = 1; i < runs.size(); i++) {
      assertTrue(runs.get(i).startTime().isAfter(runs.get(i - 1).startTime()));
    }
    assertTrue(h.describe().info().numActionsSkippedOverlap() >= 1, "the regular firings meanwhile are skipped");
  }

  @Test
  void nightlyInBerlinAcrossTheSpringDstChange() {
    env.sleep(Duration.between(T0, Instant.parse("2026-03-27T12:00:00Z")));
    ScheduleHandle h = schedules.createSchedule("nightly", Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(Job.class).setArguments(1).build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 2 * * *")).setTimeZoneName("Europe/Berlin").build())
        .build());
    env.sleep(Duration.ofDays(4));
    assertEquals(List.of(Instant.parse("2026-03-28T01:00:00Z"), Instant.parse("2026-03-29T01:00:00Z"),
            Instant.parse("2026-03-30T00:00:00Z"), Instant.parse("2026-03-31T00:00:00Z")),
        h.describe().info().recentActions().stream().map(ScheduleActionResult::scheduledAt).toList());
  }

  @Test
  void remainingActionsRunOut() {
    Schedule s = every30s(1, ScheduleOverlapPolicy.SKIP).toBuilder()
        .setState(ScheduleState.newBuilder().setLimitedAction(true).setRemainingActions(2).build()).build();
    ScheduleHandle h = schedules.createSchedule("job", s);
    env.sleep(Duration.ofMinutes(3));
    ScheduleDescription d = h.describe();
    assertEquals(2, d.info().numActions());
    assertEquals(0, d.schedule().getState().getRemainingActions());
  }

  @Test
  void updateDeleteAndList() {
    ScheduleHandle h = schedules.createSchedule("job", every30s(1, ScheduleOverlapPolicy.SKIP));
    assertEquals(List.of("job"), schedules.listSchedules().stream().map(ScheduleListDescription::scheduleId).toList());
    assertThrows(ScheduleAlreadyRunningException.class, () -> schedules.createSchedule("job", every30s(1, ScheduleOverlapPolicy.SKIP)));
    h.update(d -> d.schedule().toBuilder().setSpec(ScheduleSpec.newBuilder()
        .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofMinutes(1)))).build()).build());
    env.sleep(Duration.ofMinutes(2));
    assertEquals(List.of("job-2026-01-01T00:01:00Z", "job-2026-01-01T00:02:00Z"), actionIds(h.describe()));
    h.delete();
    env.sleep(Duration.ofMinutes(2));
    assertThrows(ScheduleNotFoundException.class, h::describe);
    assertEquals(List.of(), schedules.listSchedules());
    assertEquals(2, client.listExecutions(ListExecutionsRequest.all()).size());
  }

  @Test
  void refusedRequestsAreNamedAndWriteNothing() {
    Schedule good = every30s(1, ScheduleOverlapPolicy.SKIP);
    record Case(String error, Schedule schedule) {}
    List<Case> cases = List.of(
        new Case("InvalidCronExpression", good.toBuilder().setSpec(ScheduleSpec.newBuilder()
            .setCronExpressions(List.of("0 25 * * *")).build()).build()),
        new Case("InvalidTimeZone", good.toBuilder().setSpec(ScheduleSpec.newBuilder()
            .setCronExpressions(List.of("0 2 * * *")).setTimeZoneName("Europe/Atlantis").build()).build()),
        new Case("UnknownWorkflowType", good.toBuilder().setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType("NoSuchWorkflow").build()).build()),
        new Case("InvalidArguments", good.toBuilder().setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(Job.class).setArguments("not a number").build()).build()),
        new Case("InvalidSchedule", good.toBuilder().setSpec(ScheduleSpec.newBuilder().build()).build()));
    for (Case c : cases) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> schedules.createSchedule("s", c.schedule()));
      assertEquals(c.error(), e.getError(), e.getMessage());
    }
    assertEquals("InvalidScheduleId", assertThrows(InvalidRequestException.class,
        () -> schedules.createSchedule(" ", good)).getError());
    assertEquals(List.of(), schedules.listSchedules());
    env.sleep(Duration.ofMinutes(1));
    assertEquals(0, client.listExecutions(ListExecutionsRequest.all()).size());
  }

  private ScheduleService service() {
    return ((WorkflowClientImpl) client).schedules();
  }

  @Test
  void crashBetweenTheItemAndTheTickerIsRepairedAndLosesNoAction() {
    service().afterItemWrite(() -> {
      throw new IllegalStateException("coordinator crashed");
    });
    assertThrows(IllegalStateException.class, () -> schedules.createSchedule("job", every30s(1, ScheduleOverlapPolicy.SKIP)));
    service().afterItemWrite(null);
    service().repairAll(); // what a restarted coordinator does
    env.sleep(Duration.ofMinutes(1));
    assertEquals(List.of("job-2026-01-01T00:00:30Z", "job-2026-01-01T00:01:00Z"), actionIds(schedules.getHandle("job").describe()));
  }

  @Test
  void crashDuringDeleteLeavesNoScheduleFiring() {
    ScheduleHandle h = schedules.createSchedule("job", every30s(1, ScheduleOverlapPolicy.SKIP));
    service().afterItemWrite(() -> {
      throw new IllegalStateException("coordinator crashed");
    });
    assertThrows(IllegalStateException.class, h::delete);
    service().afterItemWrite(null);
    env.sleep(Duration.ofMinutes(2));
    assertEquals(0, client.listExecutions(ListExecutionsRequest.all()).size());
    assertThrows(ScheduleNotFoundException.class, h::describe);
    schedules.createSchedule("job", every30s(1, ScheduleOverlapPolicy.SKIP));
    env.sleep(Duration.ofSeconds(30));
    assertEquals(1, client.listExecutions(ListExecutionsRequest.all()).size());
  }

  @Test
  void aFiringOlderThanTheCatchupWindowIsMissedAndARepeatedOneStartsNothing() {
    Schedule s = every30s(1, ScheduleOverlapPolicy.ALLOW_ALL).toBuilder()
        .setPolicy(SchedulePolicy.newBuilder().setOverlap(ScheduleOverlapPolicy.ALLOW_ALL)
            .setCatchupWindow(Duration.ofMinutes(1)).build()).build();
    ScheduleHandle h = schedules.createSchedule("job", s);
    env.sleep(Duration.ofMinutes(5));
    long before = h.describe().info().numActions();
    service().engine().fire("job", Instant.parse("2026-01-01T00:04:30Z"), 1); // a redelivery
    assertEquals(before, h.describe().info().numActions());
    // A firing that arrives two minutes late (the engine could not run): the times since are
    // caught up in order, those older than the one-minute window counted as missed.
    ScheduleHandle late = schedules.createSchedule("late", s);
    service().engine().fire("late", Instant.parse("2026-01-01T00:03:00Z"), 1);
    env.awaitIdle();
    assertEquals(2, late.describe().info().numActionsMissedCatchupWindow()); // 03:00, 03:30
    assertEquals(List.of("late-2026-01-01T00:04:00Z", "late-2026-01-01T00:04:30Z", "late-2026-01-01T00:05:00Z"),
        actionIds(late.describe()));
    env.sleep(Duration.ofSeconds(30));
    assertEquals("late-2026-01-01T00:05:30Z", actionIds(late.describe()).getLast());
  }

  /** After an outage, a backlog's firings may arrive in any order (SQS standard queue): each is taken once. */
  @Test
  void firingsArrivingOutOfOrderAreEachTakenOnce() {
    Schedule s = every30s(1, ScheduleOverlapPolicy.ALLOW_ALL).toBuilder().setSpec(ScheduleSpec.newBuilder()
        .setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofSeconds(30)))).setStartAt(T0.plus(Duration.ofDays(1)))
        .build()).build();
    ScheduleHandle h = schedules.createSchedule("ooo", s);
    env.sleep(Duration.ofMinutes(5));
    for (String t : List.of("00:04:30", "00:04:00", "00:04:30", "00:03:30", "00:04:00")) {
      service().engine().fire("ooo", Instant.parse("2026-01-01T" + t + "Z"), 1);
    }
    env.awaitIdle();
    assertEquals(List.of("ooo-2026-01-01T00:04:30Z", "ooo-2026-01-01T00:04:00Z", "ooo-2026-01-01T00:03:30Z"),
        actionIds(h.describe()));
  }

  @Test
  void pauseOnFailure() {
    Schedule s = Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(Job.class).setArguments(-1).build())
        .setSpec(ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(Duration.ofSeconds(30)))).build())
        .setPolicy(SchedulePolicy.newBuilder().setPauseOnFailure(true).build())
        .build();
    ScheduleHandle h = schedules.createSchedule("job", s);
    env.sleep(Duration.ofMinutes(2));
    ScheduleDescription d = h.describe();
    assertEquals(1, d.info().numActions());
    assertTrue(d.schedule().getState().isPaused());
    assertEquals("paused: action job-2026-01-01T00:00:30Z failed", d.schedule().getState().getNote());
  }
}
