package dev.tempora.lambda.coordinator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.internal.aws.TimerForwarder;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer of the standard timers queue: a timer that is due goes into its workflow's FIFO
 * group; one that arrives early (a Scheduler schedule fires ahead on purpose) is put back with the
 * remaining delay. A message that cannot be forwarded is reported, to be retried and, in the end,
 * dead-lettered.
 */
public final class TimerQueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Logger log = LoggerFactory.getLogger(TimerQueueHandler.class);

  private final TimerForwarder forwarder;

  public TimerQueueHandler() {
    this(dev.tempora.internal.aws.EnvironmentRuntime.get().timerForwarder);
  }

  public TimerQueueHandler(TimerForwarder forwarder) {
    this.forwarder = forwarder;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      try {
        forwarder.handle(m.getBody());
      } catch (RuntimeException e) {
        log.error("timer message {} could not be forwarded: {}", m.getMessageId(), e.toString());
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }
}
