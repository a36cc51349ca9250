package dev.tempora.internal.observe;

import java.util.function.Consumer;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records as CloudWatch Embedded Metric Format lines, serialized by the AWS EMF library
 * ({@code aws-embedded-metrics}); each line goes to {@code lines}. On Lambda that is stdout, which
 * CloudWatch Logs turns into metrics; the embedded stack writes them to the {@value #LOGGER} logger.
 * The library's environment detection (which probes EC2/ECS metadata over the network) is not used:
 * the sink is chosen here.
 */
public final class EmfMetrics implements EngineMetrics {
  public static final String NAMESPACE = "Tempora";
  /** The logger the embedded stack writes EMF lines to (at debug: machine-readable, not for the console). */
  public static final String LOGGER = "tempora.metrics";

  private final Consumer<String> lines;

  public EmfMetrics(Consumer<String> lines) {
    this.lines = lines;
  }

  /** EMF on stdout, as Lambda's log agent reads it. */
  public static EmfMetrics stdout() {
    return new EmfMetrics(line -> System.out.println(line));
  }

  /** EMF lines to the {@value #LOGGER} logger at debug. */
  public static EmfMetrics toLogger() {
    Logger log = LoggerFactory.getLogger(LOGGER);
    return new EmfMetrics(line -> log.debug("{}", line));
  }

  @Override
  public void emit(MetricRecord record) {
    try {
      MetricsContext context = new MetricsContext();
      context.setNamespace(NAMESPACE);
      DimensionSet[] sets = new DimensionSet[record.dimensionSets().size()];
      for (int i = 0; i < sets.length; i++) {
        DimensionSet set = new DimensionSet();
        for (String name : record.dimensionSets().get(i)) {
          set.addDimension(name, record.dimensions().get(name));
        }
        sets[i] = set;
      }
      context.setDimensions(sets);
      for (MetricRecord.Metric m : record.metrics()) {
        context.putMetric(m.name(), m.value(), switch (m.unit()) {
          case COUNT -> Unit.COUNT;
          case MILLISECONDS -> Unit.MILLISECONDS;
        });
      }
      context.serialize().forEach(lines);
    } catch (Exception e) {
      throw new IllegalStateException("EmfSerializationFailed: " + e.getMessage(), e);
    }
  }
}
