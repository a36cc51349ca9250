package dev.tempora.internal.coordinator;

import dev.tempora.internal.history.RunIds;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.internal.history.RunKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Temporal's workflow retry, decided from what history holds, so the outbox (which starts the
 * next run) and the client (which follows it for the result) decide alike: a run whose start has
 * a retry policy and that failed (its failure not non-retryable, its type not in {@code
 * doNotRetry}) or hit its run timeout is followed by a new run of the same id after the policy's
 * backoff, unless the attempts are used up or the next run would start after the execution's
 * expiration. The next run's id is derived from the closed one's, so every decision names the
 * same run.
 */
public final class WorkflowRetry {
  private WorkflowRetry() {}

  /** The backoff before the next attempt, if the run closed by {@code closing} at {@code closeTime} is retried. */
  public static Optional<Duration> backoff(Event.WorkflowExecutionStarted started, Event closing, Instant closeTime) {
    if (started == null || started.options() == null || started.options().retryPolicy() == null) {
      return Optional.empty();
    }
    WorkflowStartOptions o = started.options();
    ActivityParameters.RetryPolicy p = o.retryPolicy();
    switch (closing) {
      case Event.WorkflowExecutionFailed f -> {
        FailureInfo failure = f.failure();
        if (failure != null && (failure.nonRetryable() || p.doNotRetry().contains(failure.type()))) {
          return Optional.empty();
        }
      }
      case Event.WorkflowExecutionTimedOut t -> {
        if (o.workflowExecutionExpirationTime() != null && !closeTime.isBefore(o.workflowExecutionExpirationTime())) {
          return Optional.empty(); // the execution timed out, not just this run
        }
      }
      default -> {
        return Optional.empty();
      }
    }
    if (p.maximumAttempts() > 0 && o.attempt() >= p.maximumAttempts()) {
      return Optional.empty();
    }
    Duration backoff = p.backoffBefore(o.attempt() + 1);
    Instant expiration = o.workflowExecutionExpirationTime();
    if (expiration != null && !closeTime.plus(backoff).isBefore(expiration)) {
      return Optional.empty();
    }
    return Optional.of(backoff);
  }

  /** The run that retries {@code run}: a name-based UUID of its run id, the same for every caller. */
  public static RunKey nextRun(RunKey run) {
    return new RunKey(run.namespace(), run.workflowId(), RunIds.derived(run.runId(), "retry"));
  }

  /** When the run's first workflow task may run: its start time plus its backoff (null: at once). */
  public static Instant notBefore(Event.WorkflowExecutionStarted started, Instant runStart) {
    Duration backoff = started == null || started.options() == null ? null : started.options().firstWorkflowTaskBackoff();
    return backoff == null ? null : runStart.plus(backoff);
  }
}
