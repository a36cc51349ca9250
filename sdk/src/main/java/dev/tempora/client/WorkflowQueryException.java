package dev.tempora.client;

/** A query could not be answered: unknown query name, the query method threw, or the workflow task is failing. */
public final class WorkflowQueryException extends WorkflowException {
  public WorkflowQueryException(String workflowId, String message, Throwable cause) {
    super(workflowId, message, cause);
  }
}
