package dev.tempora.failure;

/** The workflow was terminated from outside; its code did not get to react. */
public final class TerminatedFailure extends TemporaFailure {
  public TerminatedFailure(String reason) {
    super("terminated: " + reason, null);
  }
}
