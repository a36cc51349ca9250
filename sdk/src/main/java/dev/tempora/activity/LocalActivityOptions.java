package dev.tempora.activity;

import java.time.Duration;

/**
 * How a local activity runs (Temporal's {@code LocalActivityOptions}): inside the workflow task
 * that calls it, with no queue hop, its outcome recorded as a marker. At least one of
 * start-to-close (one attempt) and schedule-to-close (all attempts, including backoff) must be set.
 * Retries whose backoff is below {@link #getLocalRetryThreshold() the local retry threshold}
 * (default 1 minute) wait inside the task; a longer backoff becomes a durable timer, after which
 * the next attempt runs in a later workflow task.
 */
public final class LocalActivityOptions {
  /** Temporal's default local retry threshold. */
  public static final Duration DEFAULT_LOCAL_RETRY_THRESHOLD = Duration.ofMinutes(1);

  private final Duration scheduleToStartTimeout;
  private final Duration startToCloseTimeout;
  private final Duration scheduleToCloseTimeout;
  private final Duration localRetryThreshold;
  private final RetryOptions retryOptions;
  private final boolean doNotIncludeArgumentsIntoMarker;

  private LocalActivityOptions(Builder b) {
    this.scheduleToStartTimeout = b.scheduleToStartTimeout;
    this.startToCloseTimeout = b.startToCloseTimeout;
    this.scheduleToCloseTimeout = b.scheduleToCloseTimeout;
    this.localRetryThreshold = b.localRetryThreshold;
    this.retryOptions = b.retryOptions;
    this.doNotIncludeArgumentsIntoMarker = b.doNotIncludeArgumentsIntoMarker;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Accepted for Temporal's shape; a local activity starts at once, in the task that calls it. */
  public Duration getScheduleToStartTimeout() { return scheduleToStartTimeout; }
  public Duration getStartToCloseTimeout() { return startToCloseTimeout; }
  public Duration getScheduleToCloseTimeout() { return scheduleToCloseTimeout; }
  /** A backoff at or above this becomes a timer in history instead of a wait inside the task. */
  public Duration getLocalRetryThreshold() { return localRetryThreshold; }
  /** Null means {@link RetryOptions#getDefaultInstance()}. */
  public RetryOptions getRetryOptions() { return retryOptions; }
  /** When set, the marker does not repeat the activity's arguments (smaller history). */
  public boolean isDoNotIncludeArgumentsIntoMarker() { return doNotIncludeArgumentsIntoMarker; }

  public static final class Builder {
    private Duration scheduleToStartTimeout;
    private Duration startToCloseTimeout;
    private Duration scheduleToCloseTimeout;
    private Duration localRetryThreshold = DEFAULT_LOCAL_RETRY_THRESHOLD;
    private RetryOptions retryOptions;
    private boolean doNotIncludeArgumentsIntoMarker;

    public Builder setScheduleToStartTimeout(Duration d) { this.scheduleToStartTimeout = positive("scheduleToStartTimeout", d); return this; }
    public Builder setStartToCloseTimeout(Duration d) { this.startToCloseTimeout = positive("startToCloseTimeout", d); return this; }
    public Builder setScheduleToCloseTimeout(Duration d) { this.scheduleToCloseTimeout = positive("scheduleToCloseTimeout", d); return this; }
    public Builder setLocalRetryThreshold(Duration d) { this.localRetryThreshold = positive("localRetryThreshold", d); return this; }
    public Builder setRetryOptions(RetryOptions r) { this.retryOptions = r; return this; }
    public Builder setDoNotIncludeArgumentsIntoMarker(boolean b) { this.doNotIncludeArgumentsIntoMarker = b; return this; }

    public LocalActivityOptions build() {
      if (startToCloseTimeout == null && scheduleToCloseTimeout == null) {
        throw new IllegalArgumentException(
            "LocalActivityOptions needs startToCloseTimeout or scheduleToCloseTimeout (or both)");
      }
      return new LocalActivityOptions(this);
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("LocalActivityOptions." + name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
