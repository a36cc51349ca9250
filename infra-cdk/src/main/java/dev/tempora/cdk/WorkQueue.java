package dev.tempora.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
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
  /** SQS's longest visibility timeout. */
  private static final long MAX_VISIBILITY_SECONDS = 12 * 3600;

  /**
   * How the queue is made.
   *
   * @param queueName the queue's name ({@code .fifo} included for a FIFO queue)
   * @param deadLetterQueueName its dead-letter queue's name
   * @param fifo a FIFO queue in high-throughput mode: deduplication and throughput per message group
   *     (a group is one workflow, so ordering and dedup are per workflow, which is all the engine
   *     needs, and the queue scales with the number of workflows). Content-based deduplication is
   *     off: every send carries its own deduplication id (a hash of the message id), and identical
   *     bodies (two equal signals) must not be dropped as duplicates.
   * @param consumerTimeout the consuming function's timeout: the visibility timeout is six times it,
   *     as AWS advises for Lambda event sources: Lambda may retry a throttled batch within that
   *     time, and a message must not become visible again while an invocation may still hold it
   * @param maxReceiveCount receives before a message moves to the dead-letter queue
   * @param retention how long the queue keeps a message; shorter than the dead-letter queue's 14 days
   * @param retainOnDelete keep the queue (and what is in it) when the stack is deleted or the queue replaced
   */
  public record Settings(String queueName, String deadLetterQueueName, boolean fifo, Duration consumerTimeout,
      int maxReceiveCount, Duration retention, boolean retainOnDelete) {}

  private final Queue queue;
  private final AlarmedDeadLetterQueue deadLetters;
  private Alarm ageAlarm;

  public WorkQueue(Construct scope, String id, Settings s) {
    super(scope, id);
    if (s.retention().toSeconds().longValue() >= AlarmedDeadLetterQueue.RETENTION.toSeconds().longValue()) {
      throw new IllegalArgumentException("queue " + s.queueName() + " must keep messages for less than its dead-letter "
          + "queue's 14 days");
    }
    deadLetters = new AlarmedDeadLetterQueue(this, "DeadLetters", s.deadLetterQueueName(), s.fifo());
    Queue.Builder b = Queue.Builder.create(this, "Queue")
        .queueName(s.queueName())
        .retentionPeriod(s.retention())
        .visibilityTimeout(Duration.seconds(Math.min(MAX_VISIBILITY_SECONDS,
            6 * s.consumerTimeout().toSeconds().longValue())))
        .encryption(QueueEncryption.SQS_MANAGED)
        .enforceSsl(true)
        .removalPolicy(s.retainOnDelete() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
        .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters.queue()).maxReceiveCount(s.maxReceiveCount()).build());
    if (s.fifo()) {
      b.fifo(true)
          .contentBasedDeduplication(false)
          .deduplicationScope(DeduplicationScope.MESSAGE_GROUP)
          .fifoThroughputLimit(FifoThroughputLimit.PER_MESSAGE_GROUP_ID);
    }
    queue = b.build();
  }

  /**
   * Adds an alarm on the age of the oldest message: work waits longer than {@code threshold}
   * (a backlog, a throttled or failing consumer). One minute above it is enough: SQS reports the
   * age each minute, and the oldest message only gets older until it is handled.
   */
  public Alarm alarmOnAge(Duration threshold, String description) {
    if (ageAlarm != null) {
      throw new IllegalStateException("queue " + queue.getNode().getPath() + " already has an age alarm");
    }
    ageAlarm = Alarm.Builder.create(this, "OldestMessageAge")
        .alarmDescription(description)
        .metric(queue.metricApproximateAgeOfOldestMessage(MetricOptions.builder()
            .period(Duration.minutes(1)).statistic("Maximum").build()))
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .threshold(threshold.toSeconds().doubleValue())
        .evaluationPeriods(1)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
    return ageAlarm;
  }

  public Queue queue() {
    return queue;
  }

  public AlarmedDeadLetterQueue deadLetters() {
    return deadLetters;
  }

  /** The oldest-message age alarm, or null if the queue has none. */
  public Alarm ageAlarm() {
    return ageAlarm;
  }
}
