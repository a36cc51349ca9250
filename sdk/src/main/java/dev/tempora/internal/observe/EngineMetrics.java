package dev.tempora.internal.observe;

/**
 * Port: where the engine's metrics go. On Lambda, EMF lines on stdout ({@link EmfMetrics}); on the
 * embedded stack, EMF lines to a sink tests read; in tests, a {@link RecordingMetrics}. Metric
 * names and dimensions are {@link TemporaMetrics}'s (the contract the CDK dashboard and alarms read).
 */
@FunctionalInterface
public interface EngineMetrics {
  EngineMetrics NONE = record -> { };

  /** Emits one record; never throws into the engine (a failing sink loses the record, not the task). */
  void emit(MetricRecord record);
}
