package dev.tempora.lambda.coordinator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.coordinator.WorkflowTaskFailure;
import dev.tempora.internal.coordinator.WorkflowTaskProcessor;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator Lambda for the FIFO workflow-task queue. A batch may hold several workflows'
 * messages: each workflow's messages (in order) become one workflow task. A workflow whose task
 * fails reports all its messages as batch item failures, so SQS redelivers them in order (and, after
 * the queue's maxReceiveCount, moves them to the DLQ where they stay visible and redrivable); the
 * other workflows of the batch are not held back. A message that cannot be decoded is reported with
 * the rest of its group.
 */
public final class WorkflowTaskHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Logger log = LoggerFactory.getLogger(WorkflowTaskHandler.class);

  private final WorkflowTaskProcessor processor;
  private final java.util.function.UnaryOperator<String> bodies;

  /** Lambda's entry: the container's runtime, configured from environment variables. */
  public WorkflowTaskHandler() {
    this(dev.tempora.internal.aws.EnvironmentRuntime.get().processor,
        dev.tempora.internal.aws.EnvironmentRuntime.get().largeBodies::incoming);
  }

  public WorkflowTaskHandler(WorkflowTaskProcessor processor) {
    this(processor, body -> body);
  }

  /** {@code bodies} resolves a message sent by reference (too large for SQS) to its body. */
  public WorkflowTaskHandler(WorkflowTaskProcessor processor, java.util.function.UnaryOperator<String> bodies) {
    this.processor = processor;
    this.bodies = bodies;
  }

  private record Received(SQSEvent.SQSMessage sqs, WorkflowTaskMessage message) {}

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    Map<String, List<Received>> byGroup = new LinkedHashMap<>();
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    java.util.Set<String> poisonedGroups = new java.util.HashSet<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      String group = m.getAttributes() == null ? null : m.getAttributes().get("MessageGroupId");
      WorkflowTaskMessage decoded;
      try {
        decoded = HistoryJson.readMessage(bodies.apply(m.getBody()));
      } catch (RuntimeException e) {
        log.error("poison workflow-task message {} (group {}): {}", m.getMessageId(), group, e.getMessage());
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
        if (group != null) {
          poisonedGroups.add(group);
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
    for (Map.Entry<String, List<Received>> group : byGroup.entrySet()) {
      try {
        processor.process(group.getValue().stream().map(Received::message).toList());
      } catch (WorkflowTaskFailure e) {
        log.warn("workflow task of {} is failing: {}", group.getKey(), e.getMessage());
        group.getValue().forEach(r -> failures.add(new SQSBatchResponse.BatchItemFailure(r.sqs().getMessageId())));
      } catch (RuntimeException e) {
        log.warn("workflow task of {} failed, will be redelivered: {}", group.getKey(), e.toString());
        group.getValue().forEach(r -> failures.add(new SQSBatchResponse.BatchItemFailure(r.sqs().getMessageId())));
      }
    }
    return new SQSBatchResponse(failures);
  }
}
