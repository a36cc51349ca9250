package dev.tempora.devserver.chaos;

import dev.tempora.devserver.DevServer;
import dev.tempora.internal.aws.SqsRedelivery;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The knobs of a chaos run. {@link #defaults(int)} are the suite's: every probability is per AWS
 * call, per workflow task or per message, chosen so that a 200-workflow run meets every fault
 * kind and window many times and still finishes in a few minutes on two cores. The queues'
 * maxReceiveCount is the devserver's default (the deployment's), not the suite's choice.
 *
 * <p>System properties override them (the test and {@code bin/chaos} read them the same way):
 * {@code chaos.workflows}, {@code chaos.seed}, {@code chaos.concurrency}, {@code chaos.intensity}
 * (a factor on every fault probability; 0 runs the same workflows without faults) and
 * {@code chaos.stallSeconds}.
 */
record ChaosSettings(
    int workflows,
    long seed,
    int concurrency,
    int workflowPollers,
    int activityPollers,
    Duration visibilityTimeout,
    int maxReceiveCount,
    FaultInjector.Rates awsFaults,
    ChaosHooks.Rates coordinatorKills,
    double workerKill,
    double workerHang,
    double duplicateDelivery,
    double concurrentDuplicateShare,
    Map<ChaosWindow, Double> windowShares,
    Duration outage,
    Duration stallTimeout,
    Duration deadline) {

  /**
   * A run counts as lost only after it made no progress for longer than the engine's longest
   * redelivery backoff (a message delivered often, by chaos duplicates and stalls, then failing
   * transiently, waits up to that long and then goes on by itself), plus a margin.
   */
  static final Duration STALL = SqsRedelivery.backoff(Integer.MAX_VALUE).plusSeconds(30);

  static ChaosSettings defaults(int workflows) {
    Map<ChaosWindow, Double> windows = new EnumMap<>(ChaosWindow.class);
    windows.put(ChaosWindow.START_SEND_LOST, 0.02);
    windows.put(ChaosWindow.CLOSE_UPDATE_FAILS_ONCE, 0.03);
    windows.put(ChaosWindow.CLOSE_UPDATE_OUTAGE, 0.01);
    windows.put(ChaosWindow.TERMINATE_BEFORE_CLOSE, 0.015);
    windows.put(ChaosWindow.TERMINATE_AFTER_CLOSE, 0.015);
    // A coordinator death fails its whole batch (up to 10 workflows' messages), so its rate per
    // workflow task stays low: at 0.5 % per boundary a full batch dies in about 14 % of invocations.
    return new ChaosSettings(workflows, 20_261_122L, Math.min(100, workflows), 2, 4, Duration.ofSeconds(5),
        DevServer.Options.defaults().maxReceiveCount(),
        new FaultInjector.Rates(0.01, 0.01, 0.02, 0.02, 0.01, 0.03, Duration.ofMillis(1_500)),
        new ChaosHooks.Rates(0.005, 0.005, 0.005),
        0.02, 0.005, 0.03, 0.5, windows, Duration.ofSeconds(30), STALL,
        Duration.ofMinutes(Math.max(10, workflows / 50)));
  }

  /** {@link #defaults} with the system properties applied. */
  static ChaosSettings fromSystemProperties(int defaultWorkflows) {
    int n = Integer.getInteger("chaos.workflows", defaultWorkflows);
    ChaosSettings s = defaults(n);
    double intensity = Double.parseDouble(System.getProperty("chaos.intensity", "1"));
    return new ChaosSettings(n, Long.getLong("chaos.seed", s.seed()), Integer.getInteger("chaos.concurrency", s.concurrency()),
        s.workflowPollers(), s.activityPollers(), s.visibilityTimeout(), s.maxReceiveCount(),
        s.awsFaults().scaled(intensity), s.coordinatorKills().scaled(intensity), s.workerKill() * intensity,
        s.workerHang() * intensity, Math.min(1, s.duplicateDelivery() * intensity), s.concurrentDuplicateShare(),
        scaled(s.windowShares(), intensity), s.outage(),
        Duration.ofSeconds(Long.getLong("chaos.stallSeconds", s.stallTimeout().toSeconds())), s.deadline());
  }

  private static Map<ChaosWindow, Double> scaled(Map<ChaosWindow, Double> shares, double f) {
    Map<ChaosWindow, Double> out = new EnumMap<>(ChaosWindow.class);
    shares.forEach((w, p) -> out.put(w, p * f));
    return out;
  }

  /** How long a stalled worker hangs: past the visibility timeout, so its attempt is delivered again meanwhile. */
  Duration hang() {
    return visibilityTimeout.plusSeconds(2);
  }

  String summary() {
    return workflows + " workflows, seed " + seed + ", " + concurrency + " in flight, " + workflowPollers
        + " coordinator pollers, " + activityPollers + " activity pollers per queue, visibility timeout "
        + visibilityTimeout.toSeconds() + " s, maxReceiveCount " + maxReceiveCount;
  }
}
