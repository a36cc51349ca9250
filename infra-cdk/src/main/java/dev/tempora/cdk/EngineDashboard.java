package dev.tempora.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * One CloudWatch dashboard for the engine: is work piling up (queue depth and age of the oldest
 * message per queue), was work given up (dead-letter depth), are the functions failing, slow or
 * throttled, is the table stream relay keeping up, is the table throttling, and how the HTTP API answers;
 * then the engine's own metrics ({@link EngineMetricNames}): workflow tasks, their latency and
 * failures by reason, the runner cache, closes by status, activity attempts, failures, retries and
 * schedule-to-start latency, timer lateness and payloads sent by reference.
 */
public final class EngineDashboard extends Construct {
  private static final Duration PERIOD = Duration.minutes(1);
  private static final int WIDTH = 12;
  private static final int HEIGHT = 6;

  private final Dashboard dashboard;

  /**
   * @param workQueues queues consumed by functions, by label
   * @param deadLetterQueues every dead-letter queue, by label
   * @param functions every function, by label
   * @param streamRelay the function consuming the table's stream
   */
  public EngineDashboard(Construct scope, String id, Table table, Map<String, Queue> workQueues,
      Map<String, Queue> deadLetterQueues, Map<String, Function> functions, HttpStage apiStage, Function streamRelay) {
    super(scope, id);
    dashboard = Dashboard.Builder.create(this, "Dashboard").build();
    dashboard.addWidgets(
        graph("Queue depth (visible messages)", queueMetrics(workQueues, (q, o) -> q.metricApproximateNumberOfMessagesVisible(o), "Maximum")),
        graph("Age of oldest message (s)", queueMetrics(workQueues, (q, o) -> q.metricApproximateAgeOfOldestMessage(o), "Maximum")));
    dashboard.addWidgets(
        graph("Dead-letter queue depth", queueMetrics(deadLetterQueues, (q, o) -> q.metricApproximateNumberOfMessagesVisible(o), "Maximum")),
        graph("Messages in flight (being processed)", queueMetrics(workQueues, (q, o) -> q.metricApproximateNumberOfMessagesNotVisible(o), "Maximum")));
    dashboard.addWidgets(
        graph("Lambda errors", functionMetrics(functions, (f, o) -> f.metricErrors(o), "Sum")),
        graph("Lambda throttles", functionMetrics(functions, (f, o) -> f.metricThrottles(o), "Sum")));
    dashboard.addWidgets(
        graph("Lambda duration p99 (ms)", functionMetrics(functions, (f, o) -> f.metricDuration(o), "p99")),
        graph("Lambda invocations", functionMetrics(functions, (f, o) -> f.metricInvocations(o), "Sum")));
    dashboard.addWidgets(
        graph("DynamoDB consumed capacity units", List.of(
            table.metricConsumedReadCapacityUnits(options("Read", "Sum")),
            table.metricConsumedWriteCapacityUnits(options("Write", "Sum")))),
        graph("DynamoDB throttle events", List.of(
            table.metric("ReadThrottleEvents", options("Read throttles", "Sum")),
            table.metric("WriteThrottleEvents", options("Write throttles", "Sum")))));
    dashboard.addWidgets(
        graph("HTTP API responses", List.of(
            apiStage.metricCount(options("Requests", "Sum")),
            apiStage.metricClientError(options("4xx", "Sum")),
            apiStage.metricServerError(options("5xx", "Sum")))),
        graph("HTTP API latency p99 (ms)", List.of(apiStage.metricLatency(options("Latency", "p99")))));
    dashboard.addWidgets(
        graph("Table stream relay iterator age (ms)", List.of(streamRelay.metric("IteratorAge",
            options("IteratorAge", "Maximum")))));
    addEngineMetrics();
  }

  /** The EMF metrics the handlers emit: totals, and breakdowns by their dimensions. */
  private void addEngineMetrics() {
    List<IMetric> reasons = new ArrayList<>();
    reasons.add(total(EngineMetricNames.WORKFLOW_TASK_FAILURES, "Sum", "All reasons"));
    EngineMetricNames.FAILURE_REASONS.forEach(r -> reasons.add(EngineMetricNames.of(EngineMetricNames.WORKFLOW_TASK_FAILURES,
        EngineMetricNames.REASON, r, "Sum", PERIOD)));
    dashboard.addWidgets(
        graph("Workflow tasks", List.of(total(EngineMetricNames.WORKFLOW_TASKS, "Sum", "Workflow tasks"))),
        graph("Workflow task failures by reason", reasons));
    dashboard.addWidgets(
        graph("Workflow task latency (ms)", List.of(
            total(EngineMetricNames.WORKFLOW_TASK_LATENCY, "p50", "p50"),
            total(EngineMetricNames.WORKFLOW_TASK_LATENCY, "p99", "p99"))),
        graph("Workflow runner cache", List.of(
            total(EngineMetricNames.CACHE_HITS, "Sum", "Hits"),
            total(EngineMetricNames.CACHE_MISSES, "Sum", "Misses"),
            total(EngineMetricNames.FULL_REPLAYS, "Sum", "Full replays"))));
    List<IWidget> byDimension = new ArrayList<>();
    for (List<String> set : EngineMetricNames.WORKFLOW_DIMENSION_SETS) {
      byDimension.add(graph("Workflow tasks by " + String.join(", ", set),
          List.of(EngineMetricNames.search(EngineMetricNames.WORKFLOW_TASKS, set, "Sum", PERIOD))));
    }
    byDimension.add(graph("Workflows closed by status", List.of(EngineMetricNames.search(EngineMetricNames.WORKFLOWS_CLOSED,
        List.of(EngineMetricNames.STATUS), "Sum", PERIOD))));
    dashboard.addWidgets(byDimension.toArray(IWidget[]::new));
    dashboard.addWidgets(
        graph("Activity attempts, failures and retries", List.of(
            total(EngineMetricNames.ACTIVITY_ATTEMPTS, "Sum", "Attempts"),
            total(EngineMetricNames.ACTIVITY_FAILURES, "Sum", "Failures"),
            total(EngineMetricNames.ACTIVITY_RETRIES, "Sum", "Retries"))),
        graph("Activity failures by task queue", List.of(EngineMetricNames.search(EngineMetricNames.ACTIVITY_FAILURES,
            EngineMetricNames.ACTIVITY_DIMENSIONS, "Sum", PERIOD))));
    dashboard.addWidgets(
        graph("Activity schedule-to-start latency (ms)", List.of(
            total(EngineMetricNames.ACTIVITY_SCHEDULE_TO_START_LATENCY, "p50", "p50"),
            total(EngineMetricNames.ACTIVITY_SCHEDULE_TO_START_LATENCY, "p99", "p99"))),
        graph("Timer lateness (ms)", List.of(
            total(EngineMetricNames.TIMER_LATENESS, "p50", "p50"),
            total(EngineMetricNames.TIMER_LATENESS, "p99", "p99"),
            total(EngineMetricNames.TIMER_LATENESS, "Maximum", "Maximum"))));
    dashboard.addWidgets(
        graph("Payloads sent by reference (too large for SQS)", List.of(
            total(EngineMetricNames.PAYLOADS_BY_REFERENCE, "Sum", "By reference"))));
  }

  private static IMetric total(String name, String statistic, String label) {
    return EngineMetricNames.total(name, statistic, PERIOD, label);
  }

  public Dashboard dashboard() {
    return dashboard;
  }

  private static IWidget graph(String title, List<? extends IMetric> metrics) {
    return GraphWidget.Builder.create().title(title).left(List.copyOf(metrics)).width(WIDTH).height(HEIGHT).build();
  }

  private static List<IMetric> queueMetrics(Map<String, Queue> queues, BiFunction<Queue, MetricOptions, IMetric> metric,
      String statistic) {
    List<IMetric> out = new ArrayList<>();
    queues.forEach((label, q) -> out.add(metric.apply(q, options(label, statistic))));
    return out;
  }

  private static List<IMetric> functionMetrics(Map<String, Function> functions,
      BiFunction<Function, MetricOptions, IMetric> metric, String statistic) {
    List<IMetric> out = new ArrayList<>();
    functions.forEach((label, f) -> out.add(metric.apply(f, options(label, statistic))));
    return out;
  }

  private static MetricOptions options(String label, String statistic) {
    return MetricOptions.builder().label(label).statistic(statistic).period(PERIOD).build();
  }
}
