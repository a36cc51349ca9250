package dev.tempora.lambda.coordinator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.EnvironmentRuntime;
import dev.tempora.internal.aws.ScheduleMessages;
import dev.tempora.internal.aws.SqsRedelivery;
import java.util.ArrayList;
import java.util.List;
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

  private final ScheduleMessages messages;
  private final SqsRedelivery redelivery;

  public ScheduleQueueHandler() {
    this(EnvironmentRuntime.get());
  }

  public ScheduleQueueHandler(AwsRuntime runtime) {
    this(runtime.scheduleMessages, runtime.redelivery);
  }

  public ScheduleQueueHandler(ScheduleMessages messages, SqsRedelivery redelivery) {
    this.messages = messages;
    this.redelivery = redelivery;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      try {
        messages.handle(m.getBody());
      } catch (ScheduleMessages.UndecodableScheduleMessageException e) {
        log.error("undecodable schedule message {}: {}", m.getMessageId(), e.getMessage());
        if (!deadLetter(m)) {
          failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
        }
      } catch (RuntimeException e) {
        int receives = SqsRedelivery.receiveCount(m.getAttributes());
        log.warn("schedule message {} failed (delivery {}), retrying in {}: {}", m.getMessageId(), receives,
            SqsRedelivery.backoff(receives), e.toString());
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
        if (redelivery != null) {
          redelivery.backOff(m.getEventSourceArn(), m.getReceiptHandle(), receives);
        }
      }
    }
    return new SQSBatchResponse(failures);
  }

  private boolean deadLetter(SQSEvent.SQSMessage m) {
    try {
      if (redelivery == null) {
        return false;
      }
      redelivery.deadLetter(m.getEventSourceArn(), m.getMessageId(), m.getBody(), null);
      return true;
    } catch (RuntimeException e) {
      log.warn("could not move undecodable schedule message {} to the DLQ: {}", m.getMessageId(), e.toString());
      return false;
    }
  }
}
