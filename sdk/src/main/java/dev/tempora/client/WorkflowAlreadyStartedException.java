package dev.tempora.client;

/** The id's reuse policy forbids another run. */
public final class WorkflowAlreadyStartedException extends WorkflowException {
  private final WorkflowExecution existing;

  public WorkflowAlreadyStartedException(WorkflowExecution existing, String message) {
    super(existing.workflowId(), message, null);
    this.existing = existing;
  }

  public WorkflowExecution getExisting() { return existing; }
}
