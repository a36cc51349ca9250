package dev.tempora.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * A dead-letter queue and the alarm that goes off as soon as anything lands in it. A message there
 * is work the engine gave up on (an undecodable workflow task, an activity task that could not be
 * handled, an event that started nothing, a table stream batch the relay failed on): someone has to
 * look, fix and redrive.
 *
 * <p>Kept 14 days (SQS's longest), longer than any source queue keeps a message (a standard DLQ
 * keeps the message's first enqueue time), and retained when the stack is deleted: dead letters
 * are the only copy of that work.
 */
public final class AlarmedDeadLetterQueue extends Construct {
  /** SQS's longest retention, so that dead letters survive a long weekend. */
  static final Duration RETENTION = Duration.days(14);

  private final Queue queue;
  private final Alarm alarm;

  public AlarmedDeadLetterQueue(Construct scope, String id, String queueName, boolean fifo) {
    super(scope, id);
    queue = Queue.Builder.create(this, "Queue")
        .queueName(queueName)
        .fifo(fifo ? Boolean.TRUE : null)
        .retentionPeriod(RETENTION)
        .encryption(QueueEncryption.SQS_MANAGED)
        .enforceSsl(true)
        .removalPolicy(RemovalPolicy.RETAIN)
        .build();
    alarm = Alarm.Builder.create(this, "NotEmpty")
        .alarmDescription("Messages in dead-letter queue " + queueName + ": inspect them (tempora dlq), fix the cause, "
            + "then redrive them to their source.")
        .metric(queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
            .period(Duration.minutes(1)).statistic("Maximum").build()))
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .threshold(1)
        .evaluationPeriods(1)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
  }

  public Queue queue() {
    return queue;
  }

  public Alarm alarm() {
    return alarm;
  }
}
