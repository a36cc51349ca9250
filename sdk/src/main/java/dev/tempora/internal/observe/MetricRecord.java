package dev.tempora.internal.observe;

import java.util.List;
import java.util.Map;

/**
 * One metrics record (one EMF line): its metrics share its dimension sets. {@code dimensions}
 * holds the dimension values; each entry of {@code dimensionSets} names the dimensions of one
 * aggregation (an empty set: the dimensionless total the alarms watch).
 */
public record MetricRecord(Map<String, String> dimensions, List<List<String>> dimensionSets, List<Metric> metrics) {

  public enum Unit { COUNT, MILLISECONDS }

  public record Metric(String name, double value, Unit unit) {}

  public MetricRecord {
    dimensions = Map.copyOf(dimensions);
    dimensionSets = dimensionSets.stream().map(List::copyOf).toList();
    metrics = List.copyOf(metrics);
  }

  /** The value of metric {@code name} in this record, or null if it has none. */
  public Double value(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).map(Metric::value).findFirst().orElse(null);
  }
}
