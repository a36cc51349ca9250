package dev.tempora.lambda.coordinator;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.internal.aws.SqsRedelivery;
import dev.tempora.internal.observe.TraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * A batch from one of the engine's standard queues (timers, schedules): each message's body goes to
 * the queue's work. Bytes that can never be decoded are moved to the DLQ here, the only way a
 * message reaches it; any other failure is reported and the message hidden with a growing backoff
 * ({@link SqsRedelivery#backoff}).
 */
final class StandardQueueBatch {
  private final String what;
  private final Consumer<String> work;
  private final Class<? extends RuntimeException> undecodable;
  private final SqsRedelivery redelivery;
  private final Logger log;

  /** {@code what} names a message in the logs ("timer message"); {@code redelivery} null: failures only reported. */
  StandardQueueBatch(String what, Consumer<String> work, Class<? extends RuntimeException> undecodable,
      SqsRedelivery redelivery, Logger log) {
    this.what = what;
    this.work = work;
    this.undecodable = undecodable;
    this.redelivery = redelivery;
    this.log = log;
  }

  SQSBatchResponse handle(SQSEvent event) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      String trace = m.getAttributes() == null ? null : m.getAttributes().get(TraceContext.SQS_ATTRIBUTE);
      try (TraceContext.Scope scope = TraceContext.open(trace)) {
        work.accept(m.getBody());
      } catch (RuntimeException e) {
        if (undecodable.isInstance(e)) {
          log.error("undecodable {} {}: {}", what, m.getMessageId(), e.getMessage());
          if (!deadLetter(m)) {
            failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
          }
          continue;
        }
        int receives = SqsRedelivery.receiveCount(m.getAttributes());
        log.warn("{} {} failed (delivery {}), retrying in {}: {}", what, m.getMessageId(), receives,
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
    if (redelivery == null) {
      return false;
    }
    try {
      redelivery.deadLetter(m.getEventSourceArn(), m.getMessageId(), m.getBody(), null);
      return true;
    } catch (RuntimeException e) {
      log.warn("could not move undecodable {} {} to the DLQ: {}", what, m.getMessageId(), e.toString());
      return false;
    }
  }
}
