package dev.tempora.client;

/** Base of the errors the client reports about a workflow execution. */
public class WorkflowException extends RuntimeException {
  private final String workflowId;

  public WorkflowException(String workflowId, String message, Throwable cause) {
    super(message, cause);
    this.workflowId = workflowId;
  }

  public String getWorkflowId() { return workflowId; }
}
