package dev.tempora.history;

import java.time.Duration;
import java.util.List;

/** An activity's timeouts and retry policy as recorded when it was scheduled (null = not set). */
public record ActivityParameters(
    Duration scheduleToStartTimeout,
    Duration startToCloseTimeout,
    Duration scheduleToCloseTimeout,
    Duration heartbeatTimeout,
    RetryPolicy retryPolicy) {

  /** {@code maximumAttempts} 0 = unlimited. */
  public record RetryPolicy(
      Duration initialInterval,
      double backoffCoefficient,
      Duration maximumInterval,
      int maximumAttempts,
      List<String> doNotRetry) {

    /** The delay before attempt {@code nextAttempt} (2, 3, ...). */
    public Duration backoffBefore(int nextAttempt) {
      double millis = initialInterval.toMillis() * Math.pow(backoffCoefficient, Math.max(0, nextAttempt - 2));
      long capped = (long) Math.min(millis, maximumInterval.toMillis());
      return Duration.ofMillis(capped);
    }
  }
}
