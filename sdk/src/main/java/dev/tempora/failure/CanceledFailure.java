package dev.tempora.failure;

/** The operation's cancellation scope, or the whole workflow, was cancelled. */
public final class CanceledFailure extends TemporaFailure {
  public CanceledFailure(String message) {
    super(message, null);
  }
}
