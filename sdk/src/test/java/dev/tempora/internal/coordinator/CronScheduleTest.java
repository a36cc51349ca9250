package dev.tempora.internal.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.failure.TimeoutType;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.internal.history.RunKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Temporal's cron semantics as decided from history: when the next run starts and what it carries. */
class CronScheduleTest {
  private static final Instant CLOSE = Instant.parse("2026-03-02T12:00:07Z"); // a Monday
  private static final FailureInfo FAILURE = new FailureInfo(FailureInfo.Kind.APPLICATION, "Bad", "boom", null, false,
      null, null, null, null, 0, null);

  private static Event.WorkflowExecutionStarted started(String cron, Payload last, FailureInfo previous) {
    return new Event.WorkflowExecutionStarted("T", "q", null, 1L, null,
        new WorkflowStartOptions(null, null, null, null, Map.of(), 1, Duration.ofSeconds(3), cron, last, previous));
  }

  @Test
  void theNextRunWaitsForTheNextFireTimeAfterTheClose() {
    WorkflowStartOptions next = CronSchedule.next(started("0 12 * * MON-FRI", null, null),
        new Event.WorkflowExecutionCompleted(new Payload("1")), CLOSE).orElseThrow();
    assertEquals(Duration.between(CLOSE, Instant.parse("2026-03-03T12:00:00Z")), next.firstWorkflowTaskBackoff());
    assertEquals("0 12 * * MON-FRI", next.cronSchedule());
    assertEquals(1, next.attempt());

    Duration berlin = CronSchedule.backoff("CRON_TZ=Europe/Berlin 0 12 * * *", CLOSE).orElseThrow();
    assertEquals(Duration.between(CLOSE, Instant.parse("2026-03-03T11:00:00Z")), berlin, "noon in Berlin (UTC+1)");
    assertEquals(Duration.ofMinutes(30).minusSeconds(7), CronSchedule.backoff("@every 30m", CLOSE).orElseThrow());
    assertEquals(Duration.between(CLOSE, Instant.parse("2026-03-03T00:00:00Z")),
        CronSchedule.backoff("@daily", CLOSE).orElseThrow());
  }

  @Test
  void aCompletionCarriesItsResultAFailureCarriesTheLastResultAndItself() {
    Payload one = new Payload("1");
    WorkflowStartOptions afterSuccess = CronSchedule.next(started("@hourly", null, FAILURE),
        new Event.WorkflowExecutionCompleted(one), CLOSE).orElseThrow();
    assertEquals(one, afterSuccess.lastCompletionResult());
    assertNull(afterSuccess.previousFailure(), "a success clears the previous failure");

    WorkflowStartOptions afterFailure = CronSchedule.next(started("@hourly", one, null),
        new Event.WorkflowExecutionFailed(FAILURE), CLOSE).orElseThrow();
    assertEquals(one, afterFailure.lastCompletionResult(), "kept across a failed run");
    assertEquals(FAILURE, afterFailure.previousFailure());

    WorkflowStartOptions afterTimeout = CronSchedule.next(started("@hourly", one, null),
        new Event.WorkflowExecutionTimedOut(), CLOSE).orElseThrow();
    assertEquals(TimeoutType.START_TO_CLOSE, afterTimeout.previousFailure().timeoutType());
  }

  @Test
  void cancelTerminateAndContinueAsNewEndTheChainAsDoNoScheduleAndTheExpiration() {
    Event.WorkflowExecutionStarted cron = started("@hourly", null, null);
    assertEquals(Optional.empty(), CronSchedule.next(cron, new Event.WorkflowExecutionCanceled(), CLOSE));
    assertEquals(Optional.empty(), CronSchedule.next(cron, new Event.WorkflowExecutionTerminated("x"), CLOSE));
    assertEquals(Optional.empty(), CronSchedule.next(started(null, null, null),
        new Event.WorkflowExecutionCompleted(null), CLOSE));
    Event.WorkflowExecutionStarted expiring = new Event.WorkflowExecutionStarted("T", "q", null, 1L, null,
        new WorkflowStartOptions(Duration.ofHours(1), null, CLOSE.plusSeconds(60), null, Map.of(), 1, null, "@hourly",
            null, null));
    assertEquals(Optional.empty(), CronSchedule.next(expiring, new Event.WorkflowExecutionCompleted(null), CLOSE),
        "the next fire time is past the execution's expiration");
  }

  @Test
  void aRetryPolicyRetriesFirstAndTheCronRunFollowsTheLastAttempt() {
    Event.WorkflowExecutionStarted cronWithRetry = new Event.WorkflowExecutionStarted("T", "q", null, 1L, null,
        new WorkflowStartOptions(null, null, null, new ActivityParameters.RetryPolicy(Duration.ofSeconds(1), 1.0,
            Duration.ofSeconds(1), 2, List.of()), Map.of(), 2, null, "@hourly", null, null));
    Event failed = new Event.WorkflowExecutionFailed(FAILURE);
    assertEquals(Optional.empty(), WorkflowRetry.backoff(cronWithRetry, failed, CLOSE), "attempts used up");
    assertEquals(1, CronSchedule.next(cronWithRetry, failed, CLOSE).orElseThrow().attempt(), "attempts start over");
  }

  @Test
  void theNextRunIsNamedByTheClosedOne() {
    RunKey run = new RunKey("ns", "wf", "r1");
    assertEquals(CronSchedule.nextRun(run), CronSchedule.nextRun(run));
    assertNotEquals(WorkflowRetry.nextRun(run), CronSchedule.nextRun(run));
    assertEquals("wf", CronSchedule.nextRun(run).workflowId());
  }
}
