package dev.tempora.internal.aws;

import dev.tempora.internal.coordinator.WorkflowTaskQueue;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Consumer of the timers queue (a Lambda handler calls {@link #handle} per message). A timer that
 * arrives before its time (a Scheduler schedule fires {@link AwsTimerService#SCHEDULER_LEAD} early
 * on purpose) goes back on the timers queue with the remaining delay, rounded up to the second; a
 * due one is forwarded into its workflow's FIFO group. No tolerance: a timer never fires before
 * its time (Temporal's rule), so one a few milliseconds early waits one more second.
 * Forwarding twice is harmless: the message id is the timer's, so FIFO deduplication or the
 * coordinator drops the second.
 */
public final class TimerForwarder {
  /** What {@link #handle} did; either way the received message is done and may be deleted. */
  public enum Outcome {
    FORWARDED,
    DEFERRED
  }

  private final SqsClient sqs;
  private final String timersQueueUrl;
  private final WorkflowTaskQueue workflowTasks;
  private final InstantSource clock;

  public TimerForwarder(SqsClient sqs, String timersQueueUrl, WorkflowTaskQueue workflowTasks, InstantSource clock) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.timersQueueUrl = Objects.requireNonNull(timersQueueUrl, "timersQueueUrl");
    this.workflowTasks = Objects.requireNonNull(workflowTasks, "workflowTasks");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Handles one timers-queue message body; throws (so the message is retried) if a send fails. */
  public Outcome handle(String body) {
    TimerEnvelope envelope = TimerEnvelope.fromJson(body);
    Duration remaining = Duration.between(clock.instant(), envelope.fireInstant());
    if (remaining.isPositive()) {
      sqs.sendMessage(b -> b.queueUrl(timersQueueUrl).messageBody(body).delaySeconds(SqsLimits.delaySeconds(remaining))
          .messageSystemAttributes(SqsTrace.current()));
      return Outcome.DEFERRED;
    }
    workflowTasks.send(envelope.message());
    return Outcome.FORWARDED;
  }
}
