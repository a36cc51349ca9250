package dev.tempora.lambda.coordinator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.EnvironmentRuntime;
import dev.tempora.internal.aws.ScheduleMessages;
import dev.tempora.internal.aws.SqsRedelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of the schedules queue (ADR 14): ticks from each schedule's EventBridge Scheduler
 * schedule, and the firings they put on the queue with SQS delays, which start the schedules'
 * actions. A message whose work fails is reported and hidden with a growing backoff; one that
 * cannot be decoded is moved to the DLQ.
 */
public final class ScheduleQueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Logger log = LoggerFactory.getLogger(ScheduleQueueHandler.class);

  private final StandardQueueBatch batch;

  public ScheduleQueueHandler() {
    this(EnvironmentRuntime.get());
  }

  public ScheduleQueueHandler(AwsRuntime runtime) {
    this(runtime.scheduleMessages, runtime.redelivery);
  }

  public ScheduleQueueHandler(ScheduleMessages messages, SqsRedelivery redelivery) {
    this.batch = new StandardQueueBatch("schedule message", messages::handle,
        ScheduleMessages.UndecodableScheduleMessageException.class, redelivery, log);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return batch.handle(event);
  }
}
