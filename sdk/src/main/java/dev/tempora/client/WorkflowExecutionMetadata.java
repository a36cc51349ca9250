package dev.tempora.client;

import dev.tempora.common.SearchAttributes;
import java.time.Instant;

/**
 * A run as {@link WorkflowClient#listExecutions(String)} returns it (Temporal's
 * {@code WorkflowExecutionMetadata}): what the visibility store keeps, its search attributes
 * included. Memo and history are read with {@link WorkflowClient#describe}.
 */
public record WorkflowExecutionMetadata(
    WorkflowExecution execution, String workflowType, String taskQueue, WorkflowExecutionStatus status,
    Instant startTime, Instant closeTime, SearchAttributes typedSearchAttributes) {

  public WorkflowExecution getExecution() { return execution; }
  public String getWorkflowType() { return workflowType; }
  public String getTaskQueue() { return taskQueue; }
  public WorkflowExecutionStatus getStatus() { return status; }
  public Instant getStartTime() { return startTime; }
  public Instant getCloseTime() { return closeTime; }
  public SearchAttributes getTypedSearchAttributes() { return typedSearchAttributes; }
}
