package dev.tempora.internal.replay;

/**
 * Workflow code threw something that is not a {@code TemporaFailure}: like Temporal, this fails the
 * workflow task (retried once the code is fixed), not the workflow.
 */
public final class WorkflowTaskFailedException extends RuntimeException {
  public WorkflowTaskFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
