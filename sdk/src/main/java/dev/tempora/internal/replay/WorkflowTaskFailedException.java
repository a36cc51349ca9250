package dev.tempora.internal.replay;

/**
 * The workflow task cannot complete, and retrying it with the same code will not help: workflow
 * code threw something that is not a {@code TemporaFailure}, or it went past a {@link
 * WorkflowLimits limit}, or an event could not be made from its commands. Like Temporal, this fails
 * the workflow task (retried once the code is fixed), not the workflow. The message starts with
 * the reason's name ({@code WorkflowCodeFailed:}, {@code PendingActivitiesLimitExceeded:}, ...).
 */
public final class WorkflowTaskFailedException extends RuntimeException {
  public WorkflowTaskFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  public WorkflowTaskFailedException(String message) {
    super(message);
  }
}
