package dev.tempora.workflow;

/**
 * Replaying the history with the registered code produced different commands than the history
 * records. Only the workflow task fails: the history is untouched, the workflow shows as "task
 * failing" with this message, and it resumes when code that matches the history is registered.
 */
public final class NonDeterministicWorkflowError extends Error {
  public NonDeterministicWorkflowError(String message) {
    super(message);
  }
}
