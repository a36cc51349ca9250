package dev.tempora.internal.coordinator;

import dev.tempora.internal.history.RunIds;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.schedules.CompiledSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Temporal's cron workflows, decided from what history holds (like {@link WorkflowRetry}): a run
 * whose start has a cron schedule and that completed, failed or timed out (and is not retried by
 * its retry policy first) is followed by a run of the same id whose first workflow task waits for
 * the schedule's next fire time after the close. The next run carries the last completion result
 * (kept across failed runs) and the closed run's failure. Cancel and terminate end the chain, as
 * does a next fire time past the execution's expiration or past the schedule's end.
 */
public final class CronSchedule {
  private CronSchedule() {}

  /** The next run's start event options, if the run closed by {@code closing} at {@code closeTime} has one. */
  public static Optional<WorkflowStartOptions> next(Event.WorkflowExecutionStarted started, Event closing,
      Instant closeTime) {
    if (started == null || started.options() == null || started.options().cronSchedule() == null) {
      return Optional.empty();
    }
    WorkflowStartOptions o = started.options();
    Payload lastResult = o.lastCompletionResult();
    FailureInfo failure;
    switch (closing) {
      case Event.WorkflowExecutionCompleted c -> {
        lastResult = c.result();
        failure = null;
      }
      case Event.WorkflowExecutionFailed f -> failure = f.failure();
      case Event.WorkflowExecutionTimedOut t -> failure = new FailureInfo(FailureInfo.Kind.TIMEOUT, null,
          "workflow run timed out", null, false, null, TimeoutType.START_TO_CLOSE, null, null, 0, null);
      default -> {
        return Optional.empty();
      }
    }
    Optional<Duration> backoff = backoff(o.cronSchedule(), closeTime);
    if (backoff.isEmpty()) {
      return Optional.empty();
    }
    Instant expiration = o.workflowExecutionExpirationTime();
    if (expiration != null && !closeTime.plus(backoff.get()).isBefore(expiration)) {
      return Optional.empty();
    }
    return Optional.of(o.nextCronRun(backoff.get(), lastResult, failure));
  }

  /**
   * How long after {@code after} the schedule fires next (strictly after it), if ever.
   *
   * @throws dev.tempora.client.InvalidRequestException InvalidCronExpression or InvalidTimeZone
   */
  public static Optional<Duration> backoff(String cronSchedule, Instant after) {
    return CompiledSpec.cron(cronSchedule, ZoneOffset.UTC).next(after).map(t -> Duration.between(after, t));
  }

  /** The run that follows {@code run} in its cron chain: a name-based UUID of its run id, the same for every caller. */
  public static RunKey nextRun(RunKey run) {
    return new RunKey(run.namespace(), run.workflowId(), RunIds.derived(run.runId(), "cron"));
  }
}
