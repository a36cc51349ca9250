package dev.tempora.bench.cost;

/**
 * One Lambda function's use in a run: invocations (each event-source batch is one) and the summed
 * wall time of its handler, which is what Lambda bills as duration.
 *
 * @param ownComputeNanos time spent in the user's own code (the activity methods) inside those
 *     invocations: the part of the duration that is not orchestration
 */
public record LambdaUsage(String function, int memoryMb, long invocations, long handlerNanos, long ownComputeNanos) {

  /**
   * Billed GB-seconds. Lambda rounds each invocation's duration up to the next millisecond; only
   * the sum is known here, so one millisecond per invocation is added (an upper bound).
   */
  public double gbSeconds() {
    return billedSeconds(handlerNanos, invocations) * memoryMb / 1024.0;
  }

  /** GB-seconds of the user's own code, billed at the same memory size. */
  public double ownComputeGbSeconds() {
    return ownComputeNanos / 1e9 * memoryMb / 1024.0;
  }

  static double billedSeconds(long nanos, long invocations) {
    return nanos / 1e9 + invocations * 0.001;
  }
}
