package dev.tempora.internal.coordinator;

import dev.tempora.internal.history.WorkflowTaskMessage;
import java.util.List;

/**
 * Port: the workflow-task queue (SQS FIFO on AWS). Messages of one workflow are delivered in order
 * and never to two coordinators at once; the same message id sent twice is delivered once.
 */
public interface WorkflowTaskQueue {
  /** Sends messages in order (one batch call where the transport allows). */
  void send(List<WorkflowTaskMessage> messages);

  default void send(WorkflowTaskMessage message) {
    send(List.of(message));
  }
}
