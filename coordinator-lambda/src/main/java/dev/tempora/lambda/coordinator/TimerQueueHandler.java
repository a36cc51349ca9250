package dev.tempora.lambda.coordinator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.EnvironmentRuntime;
import dev.tempora.internal.aws.SqsRedelivery;
import dev.tempora.internal.aws.TimerEnvelope;
import dev.tempora.internal.aws.TimerForwarder;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of the standard timers queue: a timer that is due goes into its workflow's FIFO
 * group; one that arrives early (a Scheduler schedule fires ahead on purpose) is put back with the
 * remaining delay. A message that cannot be forwarded (a failed send) is reported and hidden with
 * a growing backoff; one that cannot be decoded is moved to the DLQ by this handler, which is the
 * only way a timer reaches it.
 */
public final class TimerQueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Logger log = LoggerFactory.getLogger(TimerQueueHandler.class);

  private final TimerForwarder forwarder;
  private final SqsRedelivery redelivery;

  public TimerQueueHandler() {
    this(EnvironmentRuntime.get());
  }

  public TimerQueueHandler(AwsRuntime runtime) {
    this(runtime.timerForwarder, runtime.redelivery);
  }

  /** Without queue actions (null): failures are only reported. */
  public TimerQueueHandler(TimerForwarder forwarder, SqsRedelivery redelivery) {
    this.forwarder = forwarder;
    this.redelivery = redelivery;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      try {
        forwarder.handle(m.getBody());
      } catch (TimerEnvelope.UndecodableTimerException e) {
        log.error("undecodable timer message {}: {}", m.getMessageId(), e.getMessage());
        if (!deadLetter(m)) {
          failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
        }
      } catch (RuntimeException e) {
        int receives = SqsRedelivery.receiveCount(m.getAttributes());
        log.warn("timer message {} could not be forwarded (delivery {}), retrying in {}: {}", m.getMessageId(),
            receives, SqsRedelivery.backoff(receives), e.toString());
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
      log.warn("could not move undecodable timer message {} to the DLQ: {}", m.getMessageId(), e.toString());
      return false;
    }
  }
}
