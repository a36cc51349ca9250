package dev.tempora.lambda.activity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.worker.ActivityTaskExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activity worker for one activity task queue: runs the attempts of a batch concurrently (one
 * virtual thread each). An attempt's own failure is not a batch failure — the executor retries it
 * by re-sending with backoff, or reports the final failure to the workflow. Only a message that
 * cannot be handled at all (undecodable, or the send of its outcome failed) is reported, so SQS
 * redelivers it and, after maxReceiveCount, moves it to the DLQ.
 */
public final class ActivityTaskHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Logger log = LoggerFactory.getLogger(ActivityTaskHandler.class);

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

  /** Lambda's entry: the container's runtime, configured from environment variables. */
  public ActivityTaskHandler() {
    this(dev.tempora.internal.aws.EnvironmentRuntime.get());
  }

  /** The handler of a runtime: its executor, deferral and large-body store. */
  public ActivityTaskHandler(dev.tempora.internal.aws.AwsRuntime runtime) {
    this(runtime.executor, deferringTo(runtime), runtime.largeBodies::incoming);
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
    this.executor = executor;
    this.deferral = deferral;
    this.bodies = bodies;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    List<Future<?>> running = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (SQSEvent.SQSMessage m : event.getRecords()) {
        running.add(threads.submit(() -> handle(m)));
      }
      for (int i = 0; i < running.size(); i++) {
        try {
          running.get(i).get();
        } catch (Exception e) {
          String id = event.getRecords().get(i).getMessageId();
          log.error("activity task message {} failed: {}", id, e.getCause() == null ? e : e.getCause());
          failures.add(new SQSBatchResponse.BatchItemFailure(id));
        }
      }
    }
    return new SQSBatchResponse(failures);
  }

  private void handle(SQSEvent.SQSMessage m) {
    if (deferral.deferIfEarly(m)) {
      return; // a backoff longer than SQS's 15-minute delay: sent again for the rest of it
    }
    ActivityTask task = HistoryJson.readActivityTask(bodies.apply(m.getBody()));
    executor.execute(task, m.getMessageId());
  }
}
