package dev.tempora.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * A dead-letter queue and the alarm that goes off as soon as anything lands in it. A message there
 * is work the engine gave up on (a poison or non-deterministic workflow task, an activity task that
 * could not be handled, an event that started nothing): someone has to look, fix and redrive.
 */
public final class AlarmedDeadLetterQueue extends Construct {
  /** SQS's longest retention, so that dead letters survive a long weekend. */
  static final Duration RETENTION = Duration.days(14);

  private final Queue queue;
  private final Alarm alarm;

  public AlarmedDeadLetterQueue(Construct scope, String id, String queueName, boolean fifo, IAlarmAction alarmAction) {
    super(scope, id);
    queue = Queue.Builder.create(this, "Queue")
        .queueName(queueName)
        .fifo(fifo ? Boolean.TRUE : null)
        .retentionPeriod(RETENTION)
        .encryption(QueueEncryption.SQS_MANAGED)
        .enforceSsl(true)
        .build();
    alarm = Alarm.Builder.create(this, "NotEmpty")
        .alarmDescription("Messages in dead-letter queue " + queueName + ": inspect them (tempora dlq), fix the cause, "
            + "then redrive them to their source queue.")
        .metric(queue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
            .period(Duration.minutes(1)).statistic("Maximum").build()))
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .threshold(1)
        .evaluationPeriods(1)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
    if (alarmAction != null) {
      alarm.addAlarmAction(alarmAction);
    }
  }

  public Queue queue() {
    return queue;
  }

  public Alarm alarm() {
    return alarm;
  }
}
