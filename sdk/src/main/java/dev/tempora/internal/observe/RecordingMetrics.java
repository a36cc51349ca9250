package dev.tempora.internal.observe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every record (tests, and the in-memory backend when a test asks for metrics). */
public final class RecordingMetrics implements EngineMetrics {
  private final List<MetricRecord> records = new CopyOnWriteArrayList<>();

  @Override
  public void emit(MetricRecord record) {
    records.add(record);
  }

  public List<MetricRecord> records() {
    return List.copyOf(records);
  }

  /** The records that carry metric {@code name}. */
  public List<MetricRecord> withMetric(String name) {
    return records.stream().filter(r -> r.value(name) != null).toList();
  }

  /** The sum of metric {@code name} over all records. */
  public double sum(String name) {
    return records.stream().map(r -> r.value(name)).filter(v -> v != null).mapToDouble(Double::doubleValue).sum();
  }
}
