package dev.tempora.internal.worker;

import dev.tempora.failure.TimeoutType;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.FailureConverter;
import dev.tempora.internal.coordinator.ActivityTaskQueue;
import dev.tempora.internal.coordinator.HeartbeatStore;
import dev.tempora.internal.coordinator.WorkflowTaskQueue;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.observe.EngineMetrics;
import dev.tempora.internal.observe.TemporaMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows an attempt's outcome: a result or a final failure goes to the workflow; a failure
 * is retried by re-sending the task with the policy's backoff, unless it is non-retryable, out of
 * attempts or past the schedule-to-close deadline. The worker uses it for attempts that end in
 * its process, async completion for attempts completed from outside or timed out while waiting.
 */
public final class AttemptOutcomes {
  private static final Logger log = LoggerFactory.getLogger(AttemptOutcomes.class);
  private final WorkflowTaskQueue results;
  private final ActivityTaskQueue retries;
  private final InstantSource clock;
  /** Where a retry's attempt, failure and due time are kept for describe (null: not kept). */
  private final HeartbeatStore progress;
  private final TemporaMetrics metrics;

  public AttemptOutcomes(WorkflowTaskQueue results, ActivityTaskQueue retries, InstantSource clock) {
    this(results, retries, clock, null, new TemporaMetrics(EngineMetrics.NONE));
  }

  public AttemptOutcomes(WorkflowTaskQueue results, ActivityTaskQueue retries, InstantSource clock,
      HeartbeatStore progress, TemporaMetrics metrics) {
    this.results = results;
    this.retries = retries;
    this.clock = clock;
    this.progress = progress;
    this.metrics = metrics;
  }

  /** The same, reporting through another workflow-task port (a test backend's waiting sender). */
  public AttemptOutcomes withResults(WorkflowTaskQueue otherResults) {
    return new AttemptOutcomes(otherResults, retries, clock, progress, metrics);
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
      Instant next = now.plus(delay);
      // Kept before the send: describe never shows an attempt whose failure it does not know.
      if (progress != null) {
        try {
          progress.recordRetry(task.run(), task.seq(), task.attempt() + 1, info, next);
        } catch (RuntimeException e) {
          log.debug("could not keep the retry of activity {} for describe: {}", task.taskId(), e.toString());
        }
      }
      retries.send(task.nextAttempt(info, heartbeatDetails), delay);
      metrics.activityFailure(task.taskQueue(), true);
      log.warn("activity {} (id {}) of workflow {} failed on attempt {}; attempt {} at {} (in {}): {}",
          task.activityType(), task.activityId(), task.run().workflowId(), task.attempt(), task.attempt() + 1, next,
          delay, info.summary(), failure);
      return;
    }
    metrics.activityFailure(task.taskQueue(), false);
    log.warn("activity {} (id {}) of workflow {} failed on attempt {}, no more retries ({}): {}", task.activityType(),
        task.activityId(), task.run().workflowId(), task.attempt(),
        nonRetryable ? "non-retryable" : !attemptsLeft ? "maximum attempts reached" : "schedule-to-close timeout",
        info.summary(), failure);
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
