package dev.tempora.internal.worker;

import dev.tempora.failure.TimeoutType;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.FailureConverter;
import dev.tempora.internal.coordinator.ActivityTaskQueue;
import dev.tempora.internal.coordinator.WorkflowTaskQueue;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * What follows an attempt's outcome: a result or a final failure goes to the workflow; a failure
 * is retried by re-sending the task with the policy's backoff, unless it is non-retryable, out of
 * attempts or past the schedule-to-close deadline. The worker uses it for attempts that end in
 * its process, async completion for attempts completed from outside or timed out while waiting.
 */
public final class AttemptOutcomes {
  private final WorkflowTaskQueue results;
  private final ActivityTaskQueue retries;
  private final InstantSource clock;

  public AttemptOutcomes(WorkflowTaskQueue results, ActivityTaskQueue retries, InstantSource clock) {
    this.results = results;
    this.retries = retries;
    this.clock = clock;
  }

  /** The same, reporting through another workflow-task port (a test backend's waiting sender). */
  public AttemptOutcomes withResults(WorkflowTaskQueue otherResults) {
    return new AttemptOutcomes(otherResults, retries, clock);
  }

  /** @param timeout the timeout that ended the attempt, null for a thrown failure */
  public void retryOrFail(ActivityTask task, Throwable failure, TimeoutType timeout, Payload heartbeatDetails) {
    ActivityParameters p = task.parameters();
    ActivityParameters.RetryPolicy policy = p.retryPolicy();
    FailureInfo info = FailureConverter.toInfo(failure);
    boolean nonRetryable = info.nonRetryable() || (info.type() != null && policy.doNotRetry().contains(info.type()));
    boolean attemptsLeft = policy.maximumAttempts() == 0 || task.attempt() < policy.maximumAttempts();
    Duration delay = policy.backoffBefore(task.attempt() + 1);
    Instant now = clock.instant();
    boolean beforeDeadline = p.scheduleToCloseTimeout() == null
        || now.plus(delay).isBefore(task.scheduledTime().plus(p.scheduleToCloseTimeout()));
    if (!nonRetryable && attemptsLeft && beforeDeadline) {
      retries.send(task.nextAttempt(info, heartbeatDetails), delay);
      return;
    }
    if (timeout != null) {
      report(task, new Event.ActivityTaskTimedOut(task.seq(), timeout, FailureConverter.toInfo(failure.getCause()),
          task.attempt()));
    } else if (!nonRetryable && attemptsLeft) {
      report(task, new Event.ActivityTaskTimedOut(task.seq(), TimeoutType.SCHEDULE_TO_CLOSE, info, task.attempt()));
    } else {
      report(task, new Event.ActivityTaskFailed(task.seq(), info, task.attempt()));
    }
  }

  /** Sends a message to the run's workflow-task queue (async completion's deadline checks). */
  public void send(WorkflowTaskMessage message) {
    results.send(message);
  }

  /** Sends the outcome to the workflow, under the id every outcome of this activity shares (deduplicated). */
  public void report(ActivityTask task, Event outcome) {
    results.send(new WorkflowTaskMessage(task.run().runId() + "/a/" + task.seq() + "/result", task.run(), outcome));
  }
}
