package dev.tempora.lambda.coordinator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.EnvironmentRuntime;
import dev.tempora.internal.aws.SqsRedelivery;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.coordinator.WorkflowTaskProcessor;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.observe.LogContext;
import dev.tempora.internal.observe.TraceContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator Lambda for the FIFO workflow-task queue. A batch may hold several workflows'
 * messages: each workflow's messages (in order) become one workflow task; the other workflows of
 * the batch are not held back by one that fails.
 *
 * <ul>
 *   <li>A task the workflow code cannot handle is parked with its run by the processor (ADR 8):
 *       its messages are done here and never reach the DLQ.
 *   <li>A transient error (a throttled table, a failed send) reports the group's messages as
 *       batch item failures and hides them with a growing backoff; from the
 *       {@value #PARK_AFTER_RECEIVES}th receive on, they are parked with their run instead, so
 *       they do not creep toward the queue's maxReceiveCount.
 *   <li>A message that cannot be decoded is moved to the DLQ by this handler (that is what the DLQ
 *       is for); if that fails it is reported with the rest of its group.
 * </ul>
 */
public final class WorkflowTaskHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Logger log = LoggerFactory.getLogger(WorkflowTaskHandler.class);
  static final int PARK_AFTER_RECEIVES = 3;

  private final WorkflowTaskProcessor processor;
  private final UnaryOperator<String> bodies;
  private final SqsRedelivery redelivery;
  private final Runnable firstInvocation;
  private volatile boolean invoked;

  /** Lambda's entry: the container's runtime, configured from environment variables. */
  public WorkflowTaskHandler() {
    this(EnvironmentRuntime.get());
  }

  public WorkflowTaskHandler(AwsRuntime runtime) {
    this(runtime.processor, runtime.largeBodies::incoming, runtime.redelivery,
        () -> runtime.processor.wakeParkedRuns(runtime.config.namespace(), false));
    publishCatalog(runtime);
  }

  /**
   * The coordinator's registered workflow types, for clients without the code, written when it
   * starts (at init: with SnapStart, when a version is published, so before any client needs it;
   * a catalog of the same code is not written again). A failure leaves the previous catalog.
   */
  private static void publishCatalog(AwsRuntime runtime) {
    try {
      if (runtime.publishCatalog()) log.info("published the workflow catalog of deployment {}", runtime.workflows.deployment());
    } catch (RuntimeException e) {
      log.warn("could not publish the workflow catalog (clients without the workflow code keep the previous one): {}",
          e.toString());
    }
  }

  /** Without queue actions: failures are only reported (unit tests). */
  public WorkflowTaskHandler(WorkflowTaskProcessor processor) {
    this(processor, body -> body, null, () -> { });
  }

  /**
   * @param bodies resolves a message sent by reference (too large for SQS) to its body
   * @param redelivery hides and dead-letters messages (null: only report failures)
   * @param firstInvocation runs once, on the first invocation: a new deployment wakes the parked
   *     tasks that failed under other code (not at init: with SnapStart, init runs when a version
   *     is published, before it serves)
   */
  public WorkflowTaskHandler(WorkflowTaskProcessor processor, UnaryOperator<String> bodies, SqsRedelivery redelivery,
      Runnable firstInvocation) {
    this.processor = processor;
    this.bodies = bodies;
    this.redelivery = redelivery;
    this.firstInvocation = firstInvocation;
  }

  private record Received(SQSEvent.SQSMessage sqs, WorkflowTaskMessage message) {}

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    onFirstInvocation();
    Map<String, List<Received>> byGroup = new LinkedHashMap<>();
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    Set<String> poisonedGroups = new HashSet<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      String group = m.getAttributes() == null ? null : m.getAttributes().get("MessageGroupId");
      WorkflowTaskMessage decoded;
      try {
        decoded = HistoryJson.readMessage(bodies.apply(m.getBody()));
      } catch (RuntimeException e) {
        log.error("undecodable workflow-task message {} (group {}): {}", m.getMessageId(), group, e.getMessage());
        if (!deadLetter(m, group)) {
          failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
          if (group != null) {
            poisonedGroups.add(group);
          }
        }
        continue;
      }
      String key = group != null ? group : decoded.run().workflowKey();
      if (poisonedGroups.contains(key)) {
        // FIFO: nothing after a failed message of the same group may be processed before it.
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
        continue;
      }
      byGroup.computeIfAbsent(key, k -> new ArrayList<>()).add(new Received(m, decoded));
    }
    String requestId = context == null ? null : context.getAwsRequestId();
    for (Map.Entry<String, List<Received>> group : byGroup.entrySet()) {
      List<WorkflowTaskMessage> messages = group.getValue().stream().map(Received::message).toList();
      // The group's log fields and trace: what it sends continues the trace its messages came with.
      WorkflowTaskMessage first = messages.getFirst();
      try (LogContext logs = LogContext.open(requestId).put(LogContext.WORKFLOW_ID, first.run().workflowId())
               .put(LogContext.RUN_ID, first.run().runId());
           TraceContext.Scope trace = TraceContext.open(traceHeader(group.getValue()))) {
        processor.process(messages);
      } catch (RuntimeException e) {
        try (LogContext logs = LogContext.open(requestId).put(LogContext.WORKFLOW_ID, first.run().workflowId())
                 .put(LogContext.RUN_ID, first.run().runId())) {
          if (!parkAfterRepeatedFailures(group.getKey(), group.getValue(), messages, e)) {
            group.getValue().forEach(r -> failures.add(new SQSBatchResponse.BatchItemFailure(r.sqs().getMessageId())));
          }
        }
      }
    }
    return new SQSBatchResponse(failures);
  }

  /** The first trace header among the group's messages (SQS's {@code AWSTraceHeader} attribute), or null. */
  private static String traceHeader(List<Received> received) {
    for (Received r : received) {
      String header = r.sqs().getAttributes() == null ? null : r.sqs().getAttributes().get(TraceContext.SQS_ATTRIBUTE);
      if (header != null) {
        return header;
      }
    }
    return null;
  }

  private void onFirstInvocation() {
    if (invoked) {
      return;
    }
    invoked = true;
    try {
      firstInvocation.run();
    } catch (RuntimeException e) {
      log.warn("could not look for parked workflow tasks to retry: {}", e.toString());
    }
  }

  /** Parks a group that keeps failing; otherwise hides it for a backoff. True if it was parked. */
  private boolean parkAfterRepeatedFailures(String group, List<Received> received, List<WorkflowTaskMessage> messages,
      RuntimeException e) {
    int receives = received.stream().mapToInt(r -> SqsRedelivery.receiveCount(r.sqs().getAttributes())).max().orElse(1);
    if (receives >= PARK_AFTER_RECEIVES) {
      try {
        processor.parkUndelivered(messages, e.toString());
        log.warn("workflow task of {} failed on {} deliveries; parked with its run: {}", group, receives, e.toString());
        return true;
      } catch (RuntimeException parkFailed) {
        log.warn("workflow task of {} failed on {} deliveries and could not be parked: {}", group, receives,
            parkFailed.toString());
      }
    }
    log.warn("workflow task of {} failed (delivery {}), retrying in {}: {}", group, receives,
        SqsRedelivery.backoff(receives), e.toString());
    if (redelivery != null) {
      received.forEach(r -> redelivery.backOff(r.sqs().getEventSourceArn(), r.sqs().getReceiptHandle(), receives));
    }
    return false;
  }

  private boolean deadLetter(SQSEvent.SQSMessage m, String group) {
    if (redelivery == null) {
      return false;
    }
    try {
      redelivery.deadLetter(m.getEventSourceArn(), m.getMessageId(), m.getBody(), group);
      return true;
    } catch (RuntimeException e) {
      log.warn("could not move undecodable message {} to the DLQ: {}", m.getMessageId(), e.toString());
      return false;
    }
  }
}
