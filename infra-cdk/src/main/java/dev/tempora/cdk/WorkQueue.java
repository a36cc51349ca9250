package dev.tempora.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.DeduplicationScope;
import software.amazon.awscdk.services.sqs.FifoThroughputLimit;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * A queue a Lambda function consumes, with its alarmed dead-letter queue: after
 * {@code maxReceiveCount} receives a message moves there instead of being retried forever.
 */
public final class WorkQueue extends Construct {
  /** SQS's longest retention: a message must not expire while its consumer is broken for a few days. */
  static final Duration RETENTION = Duration.days(14);
  /** SQS's longest visibility timeout. */
  private static final long MAX_VISIBILITY_SECONDS = 12 * 3600;

  private final Queue queue;
  private final AlarmedDeadLetterQueue deadLetters;

  /**
   * @param consumerTimeout the consuming function's timeout: the visibility timeout is six times it,
   *     as AWS advises for Lambda event sources: Lambda may retry a throttled batch within that
   *     time, and a message must not become visible again while an invocation may still hold it
   * @param fifo a FIFO queue in high-throughput mode: deduplication and throughput per message group
   *     (a group is one workflow, so ordering and dedup are per workflow, which is all the engine
   *     needs, and the queue scales with the number of workflows). Content-based deduplication is
   *     off: every send carries its own deduplication id (a hash of the message id), and identical
   *     bodies (two equal signals) must not be dropped as duplicates.
   */
  public WorkQueue(Construct scope, String id, String queueName, String deadLetterQueueName, boolean fifo,
      Duration consumerTimeout, int maxReceiveCount, IAlarmAction alarmAction) {
    super(scope, id);
    deadLetters = new AlarmedDeadLetterQueue(this, "DeadLetters", deadLetterQueueName, fifo, alarmAction);
    Queue.Builder b = Queue.Builder.create(this, "Queue")
        .queueName(queueName)
        .retentionPeriod(RETENTION)
        .visibilityTimeout(Duration.seconds(Math.min(MAX_VISIBILITY_SECONDS, 6 * consumerTimeout.toSeconds().longValue())))
        .encryption(QueueEncryption.SQS_MANAGED)
        .enforceSsl(true)
        .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters.queue()).maxReceiveCount(maxReceiveCount).build());
    if (fifo) {
      b.fifo(true)
          .contentBasedDeduplication(false)
          .deduplicationScope(DeduplicationScope.MESSAGE_GROUP)
          .fifoThroughputLimit(FifoThroughputLimit.PER_MESSAGE_GROUP_ID);
    }
    queue = b.build();
  }

  public Queue queue() {
    return queue;
  }

  public AlarmedDeadLetterQueue deadLetters() {
    return deadLetters;
  }
}
