package dev.tempora.activity;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a failed activity attempt is retried: the delay starts at {@code initialInterval} and is
 * multiplied by {@code backoffCoefficient} after each attempt, capped at {@code maximumInterval}.
 * {@code maximumAttempts} 0 means unlimited (bounded by the schedule-to-close timeout). Failures
 * whose type is in {@code doNotRetry}, or that are {@code nonRetryable}, end the activity at once.
 */
public final class RetryOptions {
  private final Duration initialInterval;
  private final double backoffCoefficient;
  private final Duration maximumInterval;
  private final int maximumAttempts;
  private final List<String> doNotRetry;

  private RetryOptions(Builder b) {
    this.initialInterval = b.initialInterval;
    this.backoffCoefficient = b.backoffCoefficient;
    this.maximumInterval = b.maximumInterval != null ? b.maximumInterval : b.initialInterval.multipliedBy(100);
    this.maximumAttempts = b.maximumAttempts;
    this.doNotRetry = List.copyOf(b.doNotRetry);
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Temporal's defaults: 1 s initial, coefficient 2, max 100 s, unlimited attempts. */
  public static RetryOptions getDefaultInstance() {
    return newBuilder().build();
  }

  public Duration getInitialInterval() { return initialInterval; }
  public double getBackoffCoefficient() { return backoffCoefficient; }
  public Duration getMaximumInterval() { return maximumInterval; }
  public int getMaximumAttempts() { return maximumAttempts; }
  public List<String> getDoNotRetry() { return doNotRetry; }

  public static final class Builder {
    private Duration initialInterval = Duration.ofSeconds(1);
    private double backoffCoefficient = 2.0;
    private Duration maximumInterval;
    private int maximumAttempts;
    private List<String> doNotRetry = List.of();

    public Builder setInitialInterval(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("RetryOptions.initialInterval must be positive, got " + d);
      }
      this.initialInterval = d;
      return this;
    }

    public Builder setBackoffCoefficient(double c) {
      if (c < 1.0) {
        throw new IllegalArgumentException("RetryOptions.backoffCoefficient must be >= 1, got " + c);
      }
      this.backoffCoefficient = c;
      return this;
    }

    public Builder setMaximumInterval(Duration d) {
      this.maximumInterval = Objects.requireNonNull(d);
      return this;
    }

    public Builder setMaximumAttempts(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("RetryOptions.maximumAttempts must be >= 0 (0 = unlimited), got " + n);
      }
      this.maximumAttempts = n;
      return this;
    }

    /** Failure types (ApplicationFailure type or exception class name) that are never retried. */
    public Builder setDoNotRetry(String... types) {
      this.doNotRetry = List.of(types);
      return this;
    }

    public RetryOptions build() {
      if (maximumInterval != null && maximumInterval.compareTo(initialInterval) < 0) {
        throw new IllegalArgumentException("RetryOptions.maximumInterval (" + maximumInterval
            + ") is shorter than initialInterval (" + initialInterval + ")");
      }
      return new RetryOptions(this);
    }
  }
}
