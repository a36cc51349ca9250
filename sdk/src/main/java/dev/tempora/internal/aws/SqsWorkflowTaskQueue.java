package dev.tempora.internal.aws;

import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.coordinator.WorkflowTaskQueue;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.history.Event;
import dev.tempora.internal.observe.TraceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * The workflow-task queue on an SQS FIFO queue (DESIGN.md "Messages on SQS").
 *
 * <ul>
 *   <li>{@code MessageGroupId} = the workflow key, so one workflow's messages are delivered in
 *       order and to one consumer at a time (a key SQS would refuse is replaced by its hash).
 *   <li>{@code MessageDeduplicationId} = SHA-256 of the message id, so a retried send within the
 *       5-minute FIFO deduplication window is dropped by SQS. Later duplicates (an outbox re-sent
 *       after more than 5 minutes) reach the coordinator, which recognises the message id.
 *   <li>Messages go in SendMessageBatch calls of at most 10 entries and 1 MiB, in the given
 *       order; SQS keeps that order within a group.
 *   <li>Characters SQS refuses in a body are JSON-escaped ({@link SqsLimits#sqsSafeJson}); a body
 *       over 1 MiB is refused with {@link SqsMessageTooLargeException} before anything is sent.
 * </ul>
 *
 * <p>A rejected entry raises {@link SqsBatchSendException}; nothing is dropped silently. If an
 * entry in the middle of a batch is rejected while later entries of the same workflow are
 * accepted, the retry delivers the rejected one after them: per-workflow order holds for
 * successful sends, not across a partial failure (SQS does not reject the rest of a group for us).
 */
public final class SqsWorkflowTaskQueue implements WorkflowTaskQueue {
  private final SqsClient sqs;
  private final String queueUrl;
  private final LargeBodies largeBodies;

  public SqsWorkflowTaskQueue(SqsClient sqs, String fifoQueueUrl) {
    this(sqs, fifoQueueUrl, LargeBodies.INLINE);
  }

  /** With {@code largeBodies}, a message too large for SQS travels by reference. */
  public SqsWorkflowTaskQueue(SqsClient sqs, String fifoQueueUrl, LargeBodies largeBodies) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(fifoQueueUrl, "fifoQueueUrl");
    this.largeBodies = Objects.requireNonNull(largeBodies, "largeBodies");
  }

  @Override
  public void send(List<WorkflowTaskMessage> messages) {
    List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
    List<String> batchMessageIds = new ArrayList<>();
    long batchBytes = 0;
    for (WorkflowTaskMessage m : messages) {
      String body = largeBodies.outgoing(m.run().workflowKey(), SqsLimits.sqsSafeJson(HistoryJson.write(m)));
      long size = SqsLimits.messageBytes(body, null);
      if (size > SqsLimits.MAX_MESSAGE_BYTES) {
        throw new SqsMessageTooLargeException(queueUrl, "workflow-task message " + m.messageId(), size);
      }
      if (batch.size() == SqsLimits.MAX_BATCH_ENTRIES || batchBytes + size > SqsLimits.MAX_MESSAGE_BYTES) {
        sendBatch(batch, batchMessageIds);
        batch = new ArrayList<>();
        batchMessageIds = new ArrayList<>();
        batchBytes = 0;
      }
      batch.add(SendMessageBatchRequestEntry.builder()
          .id(Integer.toString(batch.size()))
          .messageBody(body)
          .messageGroupId(SqsLimits.groupId(m.run().workflowKey()))
          .messageDeduplicationId(SqsLimits.deduplicationId(m.messageId()))
          .messageSystemAttributes(SqsTrace.of(traceHeader(m)))
          .build());
      batchMessageIds.add(m.messageId());
      batchBytes += size;
    }
    if (!batch.isEmpty()) {
      sendBatch(batch, batchMessageIds);
    }
  }

  /**
   * The trace the message continues: the sender's; a start with no trace around it (a client
   * outside Lambda) begins a new one, so the run's hops share a trace from its first task on.
   */
  private static String traceHeader(WorkflowTaskMessage m) {
    String header = TraceContext.current();
    if (header == null && m.event() instanceof Event.WorkflowExecutionStarted) {
      return TraceContext.newRoot(Instant.now());
    }
    return header;
  }

  private void sendBatch(List<SendMessageBatchRequestEntry> entries, List<String> messageIds) {
    SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    List<SqsBatchSendException.Failure> failures = new ArrayList<>();
    for (BatchResultErrorEntry e : response.failed()) {
      failures.add(new SqsBatchSendException.Failure(messageIdOf(e.id(), messageIds), e.code(), e.message(),
          Boolean.TRUE.equals(e.senderFault())));
    }
    // An entry in neither list would be a silent loss: treat it as failed too.
    Set<String> answered = new HashSet<>();
    response.successful().stream().map(SendMessageBatchResultEntry::id).forEach(answered::add);
    response.failed().stream().map(BatchResultErrorEntry::id).forEach(answered::add);
    for (SendMessageBatchRequestEntry e : entries) {
      if (!answered.contains(e.id())) {
        failures.add(new SqsBatchSendException.Failure(messageIdOf(e.id(), messageIds), "NoResult",
            "SQS returned no result for this entry", false));
      }
    }
    if (!failures.isEmpty()) {
      throw new SqsBatchSendException(queueUrl, failures);
    }
  }

  private static String messageIdOf(String entryId, List<String> messageIds) {
    try {
      return messageIds.get(Integer.parseInt(entryId));
    } catch (RuntimeException e) {
      return "entry " + entryId;
    }
  }
}
