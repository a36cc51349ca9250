package dev.tempora.activity;

import java.time.Duration;

/**
 * Where and how long an activity runs. At least one of start-to-close (one attempt) and
 * schedule-to-close (all attempts, including backoff) must be set, as in Temporal.
 */
public final class ActivityOptions {
  private final String taskQueue;
  private final Duration scheduleToStartTimeout;
  private final Duration startToCloseTimeout;
  private final Duration scheduleToCloseTimeout;
  private final Duration heartbeatTimeout;
  private final RetryOptions retryOptions;
  private final ActivityCancellationType cancellationType;

  private ActivityOptions(Builder b) {
    this.taskQueue = b.taskQueue;
    this.scheduleToStartTimeout = b.scheduleToStartTimeout;
    this.startToCloseTimeout = b.startToCloseTimeout;
    this.scheduleToCloseTimeout = b.scheduleToCloseTimeout;
    this.heartbeatTimeout = b.heartbeatTimeout;
    this.retryOptions = b.retryOptions;
    this.cancellationType = b.cancellationType;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Null means the workflow's own task queue. */
  public String getTaskQueue() { return taskQueue; }
  public Duration getScheduleToStartTimeout() { return scheduleToStartTimeout; }
  public Duration getStartToCloseTimeout() { return startToCloseTimeout; }
  public Duration getScheduleToCloseTimeout() { return scheduleToCloseTimeout; }
  public Duration getHeartbeatTimeout() { return heartbeatTimeout; }
  /** Null means {@link RetryOptions#getDefaultInstance()}. */
  public RetryOptions getRetryOptions() { return retryOptions; }
  /** {@link ActivityCancellationType#TRY_CANCEL} unless set. */
  public ActivityCancellationType getCancellationType() { return cancellationType; }

  public static final class Builder {
    private String taskQueue;
    private Duration scheduleToStartTimeout;
    private Duration startToCloseTimeout;
    private Duration scheduleToCloseTimeout;
    private Duration heartbeatTimeout;
    private RetryOptions retryOptions;
    private ActivityCancellationType cancellationType = ActivityCancellationType.TRY_CANCEL;

    public Builder setTaskQueue(String taskQueue) { this.taskQueue = taskQueue; return this; }
    public Builder setScheduleToStartTimeout(Duration d) { this.scheduleToStartTimeout = positive("scheduleToStartTimeout", d); return this; }
    public Builder setStartToCloseTimeout(Duration d) { this.startToCloseTimeout = positive("startToCloseTimeout", d); return this; }
    public Builder setScheduleToCloseTimeout(Duration d) { this.scheduleToCloseTimeout = positive("scheduleToCloseTimeout", d); return this; }
    public Builder setHeartbeatTimeout(Duration d) { this.heartbeatTimeout = positive("heartbeatTimeout", d); return this; }
    public Builder setRetryOptions(RetryOptions r) { this.retryOptions = r; return this; }
    public Builder setCancellationType(ActivityCancellationType t) {
      if (t == null) {
        throw new IllegalArgumentException("ActivityOptions.cancellationType must not be null");
      }
      this.cancellationType = t;
      return this;
    }

    public ActivityOptions build() {
      if (startToCloseTimeout == null && scheduleToCloseTimeout == null) {
        throw new IllegalArgumentException(
            "ActivityOptions needs startToCloseTimeout or scheduleToCloseTimeout (or both)");
      }
      return new ActivityOptions(this);
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("ActivityOptions." + name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
