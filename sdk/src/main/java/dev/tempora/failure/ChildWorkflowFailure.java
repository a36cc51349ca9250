package dev.tempora.failure;

/**
 * A child workflow ended without a result, or could not start. The cause says why: an {@link
 * ApplicationFailure} (or whatever failed the child, with its own causes), a {@link
 * CanceledFailure}, a {@link TimeoutFailure}, a {@link TerminatedFailure}, or an application
 * failure of type {@code WorkflowExecutionAlreadyStarted} when its id was taken.
 */
public final class ChildWorkflowFailure extends TemporaFailure {
  private final String workflowType;
  private final String workflowId;
  private final String runId;

  public ChildWorkflowFailure(String workflowType, String workflowId, String runId, Throwable cause) {
    super("child workflow " + workflowType + " (id " + workflowId + ") failed"
        + (cause == null ? "" : ": " + cause.getMessage()), cause);
    this.workflowType = workflowType;
    this.workflowId = workflowId;
    this.runId = runId;
  }

  public String getWorkflowType() { return workflowType; }
  public String getWorkflowId() { return workflowId; }
  /** Null when the child did not start. */
  public String getRunId() { return runId; }
}
