package dev.tempora.client;

/**
 * An update that did not produce a result: its validator rejected it (nothing was recorded) or
 * its handler failed. The cause is the validator's or the handler's failure.
 */
public final class WorkflowUpdateException extends WorkflowException {
  private final WorkflowExecution execution;
  private final String updateId;
  private final String updateName;

  public WorkflowUpdateException(WorkflowExecution execution, String updateId, String updateName, String message,
      Throwable cause) {
    super(execution.workflowId(), message, cause);
    this.execution = execution;
    this.updateId = updateId;
    this.updateName = updateName;
  }

  public WorkflowExecution getExecution() { return execution; }

  public String getUpdateId() { return updateId; }

  public String getUpdateName() { return updateName; }
}
