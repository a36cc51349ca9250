package dev.tempora.failure;

/** A timeout fired. The cause, if any, is the last attempt's failure. */
public final class TimeoutFailure extends TemporaFailure {
  private final TimeoutType timeoutType;

  public TimeoutFailure(TimeoutType timeoutType, Throwable lastFailure) {
    super(timeoutType + " timeout", lastFailure);
    this.timeoutType = timeoutType;
  }

  public TimeoutType getTimeoutType() { return timeoutType; }
}
