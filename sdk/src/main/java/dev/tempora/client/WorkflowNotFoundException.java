package dev.tempora.client;

/** No run with this workflow id (or no open run, for operations that need one). */
public final class WorkflowNotFoundException extends WorkflowException {
  public WorkflowNotFoundException(String workflowId, String message) {
    super(workflowId, message, null);
  }
}
