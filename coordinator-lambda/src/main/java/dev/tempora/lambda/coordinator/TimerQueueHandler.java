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

  private final StandardQueueBatch batch;

  public TimerQueueHandler() {
    this(EnvironmentRuntime.get());
  }

  public TimerQueueHandler(AwsRuntime runtime) {
    this(runtime.timerForwarder, runtime.redelivery);
  }

  /** Without queue actions (null): failures are only reported. */
  public TimerQueueHandler(TimerForwarder forwarder, SqsRedelivery redelivery) {
    this.batch = new StandardQueueBatch("timer message", forwarder::handle,
        TimerEnvelope.UndecodableTimerException.class, redelivery, log);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return batch.handle(event);
  }
}
