package dev.tempora.lambda.activity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.internal.aws.SqsRedelivery;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.observe.LogContext;
import dev.tempora.internal.observe.TraceContext;
import dev.tempora.internal.worker.ActivityTaskExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The activity worker for one activity task queue: runs the attempts of a batch concurrently (one
 * virtual thread each). An attempt's own failure is not a batch failure — the executor retries it
 * by re-sending with backoff, or reports the final failure to the workflow. A message whose
 * handling failed for a transient reason (the send of its outcome, the claim) is reported and
 * hidden with a growing backoff, so SQS redelivers it (the same message keeps its claim, ADR 6)
 * without burning its receives; one that cannot be decoded is moved to the DLQ by this handler.
 *
 * <p>The DLQ is for undecodable bytes only, so a message running out of receives is handed back as
 * a fresh copy ({@link SqsRedelivery#handBack}) instead: after a failure from the
 * {@value #HAND_BACK_AFTER_RECEIVES}rd receive on (with its backoff as the copy's delay), and,
 * before running it, on the receive before the queue's last (receives are spent unseen too: lost
 * receive responses, visibility timeouts that ran out under load). The copy carries the first
 * copy's delivery id, so it keeps the attempt's claim (ADR 6) like a redelivery of the original.
 */
public final class ActivityTaskHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Logger log = LoggerFactory.getLogger(ActivityTaskHandler.class);
  /** From this receive on, a failed message is handed back as a fresh copy (at most maxReceiveCount - 1). */
  static final int HAND_BACK_AFTER_RECEIVES = 3;

  /** Puts a message back on its queue if it carries a {@code notBefore} still in the future. */
  @FunctionalInterface
  public interface Deferral {
    /** @return true if the message was re-sent for later and must not run now */
    boolean deferIfEarly(SQSEvent.SQSMessage message);

    Deferral NONE = m -> false;
  }

  private final ActivityTaskExecutor executor;
  private final Deferral deferral;
  private final java.util.function.UnaryOperator<String> bodies;
  private final SqsRedelivery redelivery;

  /** Lambda's entry: the container's runtime, configured from environment variables. */
  public ActivityTaskHandler() {
    this(dev.tempora.internal.aws.EnvironmentRuntime.get());
  }

  /** The handler of a runtime: its executor, deferral and large-body store. */
  public ActivityTaskHandler(dev.tempora.internal.aws.AwsRuntime runtime) {
    this(runtime.executor, deferringTo(runtime), runtime.largeBodies::incoming, runtime.redelivery);
  }

  /** The deferral of a runtime: reads the message's {@code notBefore} attribute. */
  public static Deferral deferringTo(dev.tempora.internal.aws.AwsRuntime runtime) {
    return m -> {
      var attrs = m.getMessageAttributes();
      var notBefore = attrs == null ? null : attrs.get(dev.tempora.internal.aws.SqsDelayedDelivery.NOT_BEFORE);
      return notBefore != null && notBefore.getStringValue() != null
          && runtime.deferIfEarly(m.getEventSourceArn(), m.getBody(), notBefore.getStringValue());
    };
  }

  public ActivityTaskHandler(ActivityTaskExecutor executor, Deferral deferral) {
    this(executor, deferral, body -> body);
  }

  /** {@code bodies} resolves a task sent by reference (too large for SQS) to its body. */
  public ActivityTaskHandler(ActivityTaskExecutor executor, Deferral deferral,
      java.util.function.UnaryOperator<String> bodies) {
    this(executor, deferral, bodies, null);
  }

  /** {@code redelivery} backs off and dead-letters messages (null: failures are only reported). */
  public ActivityTaskHandler(ActivityTaskExecutor executor, Deferral deferral,
      java.util.function.UnaryOperator<String> bodies, SqsRedelivery redelivery) {
    this.executor = executor;
    this.deferral = deferral;
    this.bodies = bodies;
    this.redelivery = redelivery;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    List<Future<?>> running = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      String requestId = context == null ? null : context.getAwsRequestId();
      for (SQSEvent.SQSMessage m : event.getRecords()) {
        running.add(threads.submit(() -> handle(m, requestId)));
      }
      for (int i = 0; i < running.size(); i++) {
        try {
          running.get(i).get();
        } catch (Exception e) {
          SQSEvent.SQSMessage m = event.getRecords().get(i);
          Throwable cause = e.getCause() == null ? e : e.getCause();
          if (cause instanceof UndecodableTaskException && deadLetter(m)) {
            log.error("undecodable activity task message {} moved to the DLQ: {}", m.getMessageId(), cause.getMessage());
            continue;
          }
          int receives = totalReceives(m);
          if (handBackAfterFailure(m, receives, cause)) {
            continue;
          }
          log.warn("activity task message {} failed (delivery {}), retrying in {}: {}", m.getMessageId(), receives,
              SqsRedelivery.backoff(receives), cause.toString());
          failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
          if (redelivery != null) {
            redelivery.backOff(m.getEventSourceArn(), m.getReceiptHandle(), receives);
          }
        }
      }
    }
    return new SQSBatchResponse(failures);
  }

  /** One message on its own thread, with its log fields and the trace it arrived with. */
  private void handle(SQSEvent.SQSMessage m, String requestId) {
    String trace = m.getAttributes() == null ? null : m.getAttributes().get(TraceContext.SQS_ATTRIBUTE);
    try (LogContext logs = LogContext.open(requestId); TraceContext.Scope scope = TraceContext.open(trace)) {
      if (deferral.deferIfEarly(m)) {
        return; // a backoff longer than SQS's 15-minute delay: sent again for the rest of it
      }
      ActivityTask task;
      try {
        task = HistoryJson.readActivityTask(bodies.apply(m.getBody()));
      } catch (IllegalArgumentException e) {
        throw new UndecodableTaskException(e.getMessage(), e);
      }
      logs.put(LogContext.WORKFLOW_ID, task.run().workflowId()).put(LogContext.RUN_ID, task.run().runId())
          .put(LogContext.ACTIVITY_ID, task.activityId()).put(LogContext.ATTEMPT, task.attempt())
          .put(LogContext.TASK_QUEUE, task.taskQueue());
      if (lastSafeReceive(m)) {
        handBack(m, Duration.ZERO);
        log.warn("activity task message {} on receive {} of its queue's {}: handed back as a fresh message before "
            + "running it", m.getMessageId(), SqsRedelivery.receiveCount(m.getAttributes()), maxReceiveCount(m));
        return;
      }
      executor.execute(task, deliveryId(m));
    }
  }

  /** The id the attempt is claimed under: the first copy's message id (ADR 6). */
  private static String deliveryId(SQSEvent.SQSMessage m) {
    SQSEvent.MessageAttribute first = m.getMessageAttributes() == null ? null
        : m.getMessageAttributes().get(SqsRedelivery.DELIVERY_ID);
    return first != null && first.getStringValue() != null ? first.getStringValue() : m.getMessageId();
  }

  /** Receives of this message and of the copies handed back before it. */
  private static int totalReceives(SQSEvent.SQSMessage m) {
    SQSEvent.MessageAttribute earlier = m.getMessageAttributes() == null ? null
        : m.getMessageAttributes().get(SqsRedelivery.EARLIER_RECEIVES);
    int before = 0;
    if (earlier != null && earlier.getStringValue() != null) {
      try {
        before = Integer.parseInt(earlier.getStringValue());
      } catch (NumberFormatException e) {
        before = 0;
      }
    }
    return before + SqsRedelivery.receiveCount(m.getAttributes());
  }

  /** The queue's maxReceiveCount, or MAX_VALUE if unknown (no redelivery, or the lookup failed). */
  private int maxReceiveCount(SQSEvent.SQSMessage m) {
    if (redelivery == null) {
      return Integer.MAX_VALUE;
    }
    try {
      return redelivery.maxReceiveCount(m.getEventSourceArn());
    } catch (RuntimeException e) {
      log.debug("could not read the redrive policy of {}: {}", m.getEventSourceArn(), e.toString());
      return Integer.MAX_VALUE;
    }
  }

  /** True on the receive before the queue's last (or on the last, with a maxReceiveCount of 2). */
  private boolean lastSafeReceive(SQSEvent.SQSMessage m) {
    int receives = SqsRedelivery.receiveCount(m.getAttributes());
    return receives >= 2 && receives >= maxReceiveCount(m) - 1;
  }

  /** After a failure: hands the message back with its backoff if it is running out of receives. */
  private boolean handBackAfterFailure(SQSEvent.SQSMessage m, int totalReceives, Throwable cause) {
    int receives = SqsRedelivery.receiveCount(m.getAttributes());
    if (redelivery == null || receives < Math.min(HAND_BACK_AFTER_RECEIVES, maxReceiveCount(m) - 1)) {
      return false;
    }
    Duration delay = SqsRedelivery.backoff(totalReceives);
    try {
      handBack(m, delay);
    } catch (RuntimeException e) {
      log.warn("activity task message {} could not be handed back ({}); left to the queue", m.getMessageId(),
          e.toString());
      return false;
    }
    log.warn("activity task message {} failed (delivery {}), handed back as a fresh message, retrying in {}: {}",
        m.getMessageId(), totalReceives, delay, cause.toString());
    return true;
  }

  /** Sends the fresh copy; the poller then deletes this one as handled. */
  private void handBack(SQSEvent.SQSMessage m, Duration delay) {
    Map<String, MessageAttributeValue> attributes = new HashMap<>();
    if (m.getMessageAttributes() != null) {
      m.getMessageAttributes().forEach((name, a) -> {
        if (a.getStringValue() != null) {
          attributes.put(name, MessageAttributeValue.builder().dataType(a.getDataType()).stringValue(a.getStringValue())
              .build());
        } else if (a.getBinaryValue() != null) {
          attributes.put(name, MessageAttributeValue.builder().dataType(a.getDataType())
              .binaryValue(SdkBytes.fromByteBuffer(a.getBinaryValue())).build());
        }
      });
    }
    attributes.put(SqsRedelivery.DELIVERY_ID,
        MessageAttributeValue.builder().dataType("String").stringValue(deliveryId(m)).build());
    attributes.put(SqsRedelivery.EARLIER_RECEIVES,
        MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(totalReceives(m))).build());
    String trace = m.getAttributes() == null ? null : m.getAttributes().get(TraceContext.SQS_ATTRIBUTE);
    redelivery.handBack(m.getEventSourceArn(), m.getBody(), attributes, delay, trace);
  }

  private boolean deadLetter(SQSEvent.SQSMessage m) {
    if (redelivery == null) {
      return false;
    }
    try {
      redelivery.deadLetter(m.getEventSourceArn(), m.getMessageId(), m.getBody(), null);
      return true;
    } catch (RuntimeException e) {
      log.warn("could not move undecodable activity task message {} to the DLQ: {}", m.getMessageId(), e.toString());
      return false;
    }
  }

  /** The message is not an activity task and never will be. */
  private static final class UndecodableTaskException extends IllegalArgumentException {
    UndecodableTaskException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
