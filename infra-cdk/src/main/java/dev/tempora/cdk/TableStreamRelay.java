package dev.tempora.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.lambda.EventSourceMapping;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.constructs.Construct;

/**
 * Feeds the table's stream to the stream relay function ({@link Handlers#STREAM_RELAY}): only the
 * records it acts on (Lambda event filtering, so the rest cost no invocation), in batches of up to
 * {@value #BATCH_SIZE} gathered for at most a second, failed batches split to isolate a bad record
 * and retried {@value #RETRY_ATTEMPTS} times, then described in an alarmed dead-letter queue (the
 * records themselves stay in the stream for 24 hours). Starts at the oldest record, so nothing
 * committed before the mapping existed is skipped.
 */
public final class TableStreamRelay extends Construct {
  static final int BATCH_SIZE = 100;
  static final Duration MAX_BATCHING_WINDOW = Duration.seconds(1);
  static final int RETRY_ATTEMPTS = 10;
  /** The relay's promise is a committed effect dispatched within about a minute. */
  static final Duration ITERATOR_AGE_ALARM = Duration.minutes(1);

  /** A new run record (its start message may have been lost). */
  static final String NEW_RUN = "{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"Keys\":{\"sk\":{\"S\":[{\"prefix\":\"run#\"}]}}}}";
  /** A closing history batch (the run record must follow it). */
  static final String CLOSING_BATCH = "{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"closes\":{\"BOOL\":[true]}}}}";
  /** An item TTL expired (a closed run's retention ended: its other items go too). */
  static final String EXPIRED = "{\"eventName\":[\"REMOVE\"],\"userIdentity\":{\"type\":[\"Service\"],"
      + "\"principalId\":[\"dynamodb.amazonaws.com\"]}}";
  static final List<String> FILTER_PATTERNS = List.of(NEW_RUN, CLOSING_BATCH, EXPIRED);

  private final AlarmedDeadLetterQueue deadLetters;
  private final EventSourceMapping mapping;
  private final Alarm iteratorAgeAlarm;

  public TableStreamRelay(Construct scope, String id, EngineFunction relay, EngineTable table,
      TablePermissions permissions, String deadLetterQueueName) {
    super(scope, id);
    deadLetters = new AlarmedDeadLetterQueue(this, "DeadLetters", deadLetterQueueName, false);
    // Not DynamoEventSource: its grant includes dynamodb:ListStreams on "*".
    permissions.grantStreamRead(relay.role());
    mapping = relay.alias().addEventSourceMapping("TableStream", EventSourceMappingOptions.builder()
        .eventSourceArn(table.streamArn())
        .startingPosition(StartingPosition.TRIM_HORIZON)
        .batchSize(BATCH_SIZE)
        .maxBatchingWindow(MAX_BATCHING_WINDOW)
        .bisectBatchOnError(true)
        .reportBatchItemFailures(true)
        .retryAttempts(RETRY_ATTEMPTS)
        // Binding the destination grants the function's role SendMessage on the queue.
        .onFailure(new SqsDlq(deadLetters.queue()))
        .filters(FILTER_PATTERNS.stream().map(p -> Map.<String, Object>of("pattern", p)).toList())
        .build());
    iteratorAgeAlarm = Alarm.Builder.create(this, "IteratorAge")
        .alarmDescription("The Tempora table stream relay is more than a minute behind the table: lost starts and "
            + "unfinished closes wait that long. See its errors, throttles and log group.")
        .metric(relay.function().metric("IteratorAge", MetricOptions.builder()
            .period(Duration.minutes(1)).statistic("Maximum").build()))
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .threshold(ITERATOR_AGE_ALARM.toMilliseconds().doubleValue())
        // Three minutes in a row: one slow batch (a retried one) is not an outage.
        .evaluationPeriods(3)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
  }

  public AlarmedDeadLetterQueue deadLetters() {
    return deadLetters;
  }

  public EventSourceMapping mapping() {
    return mapping;
  }

  public Alarm iteratorAgeAlarm() {
    return iteratorAgeAlarm;
  }
}
