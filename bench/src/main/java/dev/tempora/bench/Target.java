package dev.tempora.bench;

/**
 * A goal from the benchmark issue, checked against a measured value (median unless the benchmark
 * says otherwise). Missing a target is reported, never hidden: the suite prints it as MISSED with
 * the measured value so the closing note can say by how much.
 *
 * @param description the goal in words ("throughput N=5000 >= 1.5x Temporal test service")
 * @param measured the measured value it is judged by
 * @param limit the bound
 * @param atLeast true when measured must be >= limit, false when it must be <= limit
 */
public record Target(String description, double measured, double limit, boolean atLeast) {

  public boolean met() {
    return atLeast ? measured >= limit : measured <= limit;
  }
}
