package dev.tempora.internal.aws;

import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.coordinator.ActivityTaskQueue;
import dev.tempora.internal.history.ActivityTask;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Activity task queues on SQS standard queues, one per task-queue name (DESIGN.md "Messages on
 * SQS"). The body is the task's JSON; a retry backoff is the message's DelaySeconds, and a
 * backoff over 900 s uses {@link SqsDelayedDelivery} (the consumer must call
 * {@link SqsDelayedDelivery#deferIfEarly} on receipt).
 *
 * <p>Duplicates: the port says a re-sent task id is dropped, but standard queues do not
 * deduplicate (and deliver at least once anyway). A re-dispatched outbox therefore can put the
 * same attempt on the queue twice, and the worker must tolerate running an attempt more than
 * once: its outcome message carries a deterministic id, so the FIFO queue and the coordinator
 * drop the second outcome, but the activity's side effects may happen twice unless it is
 * idempotent (as with any at-least-once delivery).
 */
public final class SqsActivityTaskQueue implements ActivityTaskQueue {
  private final SqsClient sqs;
  private final Function<String, String> queueUrlForTaskQueue;
  private final InstantSource clock;
  private final LargeBodies largeBodies;

  public SqsActivityTaskQueue(SqsClient sqs, Function<String, String> queueUrlForTaskQueue) {
    this(sqs, queueUrlForTaskQueue, InstantSource.system());
  }

  public SqsActivityTaskQueue(SqsClient sqs, Function<String, String> queueUrlForTaskQueue, InstantSource clock) {
    this(sqs, queueUrlForTaskQueue, clock, LargeBodies.INLINE);
  }

  /** With {@code largeBodies}, a task too large for SQS travels by reference. */
  public SqsActivityTaskQueue(SqsClient sqs, Function<String, String> queueUrlForTaskQueue, InstantSource clock,
      LargeBodies largeBodies) {
    this.largeBodies = Objects.requireNonNull(largeBodies, "largeBodies");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrlForTaskQueue = Objects.requireNonNull(queueUrlForTaskQueue, "queueUrlForTaskQueue");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void send(ActivityTask task, Duration delay) {
    String queueUrl = queueUrlForTaskQueue.apply(task.taskQueue());
    if (queueUrl == null) {
      throw new IllegalArgumentException("no SQS queue for activity task queue '" + task.taskQueue() + "'");
    }
    String body = largeBodies.outgoing(task.run().workflowKey(), SqsLimits.sqsSafeJson(HistoryJson.write(task)));
    SqsDelayedDelivery.Plan plan = SqsDelayedDelivery.plan(clock.instant(), delay);
    SqsLimits.checkSize(queueUrl, "activity task " + task.taskId(), body, plan.attributes());
    sqs.sendMessage(b -> b.queueUrl(queueUrl)
        .messageBody(body)
        .delaySeconds(plan.delaySeconds())
        .messageAttributes(plan.attributes())
        .messageSystemAttributes(SqsTrace.current()));
  }
}
