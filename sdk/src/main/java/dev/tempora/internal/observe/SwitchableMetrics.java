package dev.tempora.internal.observe;

/**
 * The metrics port a runtime hands to its parts at construction; where the records go is set
 * later (the Lambda entry sets EMF on stdout, the devserver its sink, a test a recorder).
 */
public final class SwitchableMetrics implements EngineMetrics {
  private volatile EngineMetrics target = EngineMetrics.NONE;

  public void set(EngineMetrics target) {
    this.target = target == null ? EngineMetrics.NONE : target;
  }

  public EngineMetrics get() {
    return target;
  }

  @Override
  public void emit(MetricRecord record) {
    try {
      target.emit(record);
    } catch (RuntimeException e) {
      // Metrics never fail the work they measure.
      org.slf4j.LoggerFactory.getLogger(SwitchableMetrics.class).debug("metric record lost: {}", e.toString());
    }
  }
}
