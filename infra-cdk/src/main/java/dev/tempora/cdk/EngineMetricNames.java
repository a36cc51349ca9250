package dev.tempora.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;

/**
 * The engine's own metrics, as its handlers emit them in CloudWatch embedded metric format (the sdk's
 * {@code observe} metrics): the one place the construct names them, so a rename is one edit here.
 * Every metric also has a dimensionless total, which the alarms watch; breakdowns carry the
 * dimensions below.
 */
public final class EngineMetricNames {
  public static final String NAMESPACE = "Tempora";

  public static final String TASK_QUEUE = "TaskQueue";
  public static final String WORKFLOW_TYPE = "WorkflowType";
  /** Of {@link #WORKFLOW_TASK_FAILURES}: one of {@link #FAILURE_REASONS}. */
  public static final String REASON = "Reason";
  /** Of {@link #WORKFLOWS_CLOSED}: the run's closing status. */
  public static final String STATUS = "Status";

  public static final String WORKFLOW_TASKS = "WorkflowTasks";
  /** Milliseconds. */
  public static final String WORKFLOW_TASK_LATENCY = "WorkflowTaskLatency";
  public static final String WORKFLOW_TASK_FAILURES = "WorkflowTaskFailures";
  public static final String CACHE_HITS = "CacheHits";
  public static final String CACHE_MISSES = "CacheMisses";
  public static final String FULL_REPLAYS = "FullReplays";
  /** Milliseconds. */
  public static final String ACTIVITY_SCHEDULE_TO_START_LATENCY = "ActivityScheduleToStartLatency";
  public static final String ACTIVITY_ATTEMPTS = "ActivityAttempts";
  public static final String ACTIVITY_FAILURES = "ActivityFailures";
  public static final String ACTIVITY_RETRIES = "ActivityRetries";
  public static final String WORKFLOWS_CLOSED = "WorkflowsClosed";
  /** Milliseconds a timer fired after its fire time. */
  public static final String TIMER_LATENESS = "TimerLateness";
  public static final String PAYLOADS_BY_REFERENCE = "PayloadsByReference";

  /** Every metric name, for checks that the dashboard shows them all. */
  public static final List<String> ALL = List.of(WORKFLOW_TASKS, WORKFLOW_TASK_LATENCY, WORKFLOW_TASK_FAILURES,
      CACHE_HITS, CACHE_MISSES, FULL_REPLAYS, ACTIVITY_SCHEDULE_TO_START_LATENCY, ACTIVITY_ATTEMPTS, ACTIVITY_FAILURES,
      ACTIVITY_RETRIES, WORKFLOWS_CLOSED, TIMER_LATENESS, PAYLOADS_BY_REFERENCE);
  /** The values of {@link #REASON}. */
  public static final List<String> FAILURE_REASONS = List.of("NonDeterminism", "UnknownType", "Deadlock", "Other");
  /** The dimension sets workflow-task metrics (tasks, latency, cache, replays, timer lateness) break down by. */
  public static final List<List<String>> WORKFLOW_DIMENSION_SETS = List.of(List.of(TASK_QUEUE), List.of(WORKFLOW_TYPE));
  /** The dimension set activity metrics break down by. */
  public static final List<String> ACTIVITY_DIMENSIONS = List.of(TASK_QUEUE);

  private EngineMetricNames() {}

  /** The dimensionless total of {@code name}; {@code label} may be null (alarms then take the plain metric form). */
  static Metric total(String name, String statistic, Duration period, String label) {
    return Metric.Builder.create().namespace(NAMESPACE).metricName(name).statistic(statistic).period(period)
        .label(label).build();
  }

  /** {@code name} for one value of one dimension. */
  static Metric of(String name, String dimension, String value, String statistic, Duration period) {
    return Metric.Builder.create().namespace(NAMESPACE).metricName(name).dimensionsMap(Map.of(dimension, value))
        .statistic(statistic).period(period).label(value).build();
  }

  /** Every series of {@code name} with exactly the dimensions {@code dimensionSet} (a CloudWatch SEARCH). */
  static IMetric search(String name, List<String> dimensionSet, String statistic, Duration period) {
    String schema = "{" + NAMESPACE + "," + String.join(",", dimensionSet) + "}";
    return MathExpression.Builder.create()
        .expression("SEARCH('" + schema + " MetricName=\"" + name + "\"', '" + statistic + "', "
            + period.toSeconds().longValue() + ")")
        .usingMetrics(Map.of())
        .label("")
        .period(period)
        .build();
  }
}
