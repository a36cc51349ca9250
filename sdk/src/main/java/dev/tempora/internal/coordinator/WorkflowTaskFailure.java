package dev.tempora.internal.coordinator;

/**
 * The workflow task cannot succeed with the code deployed (non-determinism, unknown type, an
 * exception in workflow code). Nothing was written but the reason on the run record; the messages
 * must be kept and retried after a deploy, not dropped.
 */
public final class WorkflowTaskFailure extends RuntimeException {
  public WorkflowTaskFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
