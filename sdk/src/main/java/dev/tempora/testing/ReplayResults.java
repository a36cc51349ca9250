package dev.tempora.testing;

import java.util.List;

/**
 * What {@link WorkflowReplayer#replayWorkflowExecutions} found: every run whose history the code
 * cannot replay, with why (as Temporal's {@code ReplayResults}).
 */
public final class ReplayResults {
  /** A run the code breaks: a {@code NonDeterministicWorkflowError}, an {@code UnsupportedVersion}, ... */
  public record ReplayError(String workflowId, Throwable exception) {
    @Override
    public String toString() {
      return workflowId + ": " + exception.getMessage();
    }
  }

  private final int replayed;
  private final List<ReplayError> errors;

  ReplayResults(int replayed, List<ReplayError> errors) {
    this.replayed = replayed;
    this.errors = List.copyOf(errors);
  }

  public boolean hadAnyError() {
    return !errors.isEmpty();
  }

  /** The failures, in the order the histories were given. */
  public List<ReplayError> allErrors() {
    return errors;
  }

  /** How many histories were replayed (with fail-fast, up to the first failure). */
  public int replayed() {
    return replayed;
  }

  /** One line per broken run, for a CI log. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(replayed + " histories replayed, " + errors.size() + " broken");
    for (ReplayError e : errors) {
      b.append(System.lineSeparator()).append("  ").append(e);
    }
    return b.toString();
  }
}
