package dev.tempora.bench.e2e;

import java.util.Arrays;

/**
 * One measured run of N workflows on one system.
 *
 * @param workflows N
 * @param wallNanos from the first start call to the last result received
 * @param latencyNanos per workflow, from its start call to its result at the client
 * @param cpuNanos process CPU time over the run (all threads of this JVM: engine, emulators, client)
 */
public record RunResult(int workflows, long wallNanos, long[] latencyNanos, long cpuNanos) {

  public double workflowsPerSecond() {
    return workflows / (wallNanos / 1e9);
  }

  public double stepsPerSecond() {
    return workflowsPerSecond() * BenchOrder.STEPS;
  }

  /** Latency percentile in milliseconds (nearest rank). */
  public double latencyMillis(double percentile) {
    long[] sorted = latencyNanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  public double cpuMillisPerWorkflow() {
    return cpuNanos / 1e6 / workflows;
  }
}
