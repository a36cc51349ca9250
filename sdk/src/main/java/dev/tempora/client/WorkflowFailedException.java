package dev.tempora.client;

/**
 * The workflow closed without a result (failed, cancelled, terminated). The cause is the typed
 * failure: {@code ActivityFailure}, {@code ApplicationFailure}, {@code CanceledFailure}, {@code TerminatedFailure}.
 */
public final class WorkflowFailedException extends WorkflowException {
  private final WorkflowExecution execution;
  private final WorkflowExecutionStatus status;

  public WorkflowFailedException(WorkflowExecution execution, String workflowType, WorkflowExecutionStatus status, Throwable cause) {
    super(execution.workflowId(), "workflow " + workflowType + " " + execution.workflowId() + " " + status
        + (cause == null ? "" : ": " + cause.getMessage()), cause);
    this.execution = execution;
    this.status = status;
  }

  public WorkflowExecution getExecution() { return execution; }
  public WorkflowExecutionStatus getStatus() { return status; }
}
