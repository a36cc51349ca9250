package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.cloudwatch.Alarm;

/**
 * The alarms on the engine's EMF metrics, exactly (metric, statistic, threshold, period, evaluation,
 * actions), and the dashboard graphing every metric of the contract.
 */
class EngineMetricsTest {
  private static EngineFixture f;
  private static List<Object> actions;

  @BeforeAll
  static void synth() {
    f = EngineFixture.get();
    actions = List.of(Map.of("Ref", f.json.id(f.engine.alarmTopic())));
  }

  @Test
  void theMetricContractIsTheOneTheHandlersEmit() {
    // The observe side emits these names in namespace Tempora; a rename here must be a rename there.
    assertEquals("Tempora", EngineMetricNames.NAMESPACE);
    assertEquals(List.of("WorkflowTasks", "WorkflowTaskLatency", "WorkflowTaskFailures", "CacheHits", "CacheMisses",
        "FullReplays", "ActivityScheduleToStartLatency", "ActivityAttempts", "ActivityFailures", "ActivityRetries",
        "WorkflowsClosed", "TimerLateness", "PayloadsByReference"), EngineMetricNames.ALL);
    assertEquals(List.of("NonDeterminism", "UnknownType", "Deadlock", "Other"), EngineMetricNames.FAILURE_REASONS);
  }

  @Test
  void aFailedWorkflowTaskAlarmsWithinFiveMinutes() {
    Map<String, Object> p = properties(f.engine.workflowTaskFailuresAlarm());
    Map<String, Object> expected = new TreeMap<>(Map.of(
        "Namespace", "Tempora", "MetricName", "WorkflowTaskFailures", "Statistic", "Sum",
        "Period", 60, "EvaluationPeriods", 1, "DatapointsToAlarm", 1, "Threshold", 1,
        "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching"));
    expected.put("AlarmActions", actions);
    expected.put("OKActions", actions);
    assertEquals(expected, withoutDescription(p));
    // The dimensionless total: every reason, every queue.
    assertEquals(null, p.get("Dimensions"));
    int period = (Integer) p.get("Period");
    int evaluation = (Integer) p.get("EvaluationPeriods");
    assertTrue(period * evaluation <= 300, "fires within 5 minutes of the failure");
  }

  @Test
  void activityFailureRateIsFailuresOverAttemptsForTenMinutes() {
    Map<String, Object> p = properties(f.engine.activityFailureRateAlarm());
    assertEquals("GreaterThanThreshold", p.get("ComparisonOperator"));
    assertEquals(25, p.get("Threshold")); // the fixture's activityFailureRateAlarmPercent
    assertEquals(2, p.get("EvaluationPeriods"));
    assertEquals(2, p.get("DatapointsToAlarm"));
    assertEquals("notBreaching", p.get("TreatMissingData"));
    assertEquals(actions, p.get("AlarmActions"));
    assertEquals(actions, p.get("OKActions"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> metrics = (List<Map<String, Object>>) p.get("Metrics");
    Map<String, Object> byId = new TreeMap<>();
    for (Map<String, Object> m : metrics) {
      if (m.containsKey("Expression")) {
        byId.put("expression", m.get("Expression"));
        assertEquals(true, m.getOrDefault("ReturnData", true));
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> stat = (Map<String, Object>) m.get("MetricStat");
        @SuppressWarnings("unchecked")
        Map<String, Object> metric = (Map<String, Object>) stat.get("Metric");
        byId.put((String) m.get("Id"), List.of(metric.get("Namespace"), metric.get("MetricName"),
            String.valueOf(metric.get("Dimensions")), stat.get("Stat"), stat.get("Period")));
        assertEquals(false, m.get("ReturnData"));
      }
    }
    assertEquals(Map.of(
        "expression", "IF(attempts > 0, 100 * failures / attempts, 0)",
        "failures", List.of("Tempora", "ActivityFailures", "null", "Sum", 300),
        "attempts", List.of("Tempora", "ActivityAttempts", "null", "Sum", 300)), byId);
  }

  @Test
  void lateTimersAlarmOnTheP99() {
    Map<String, Object> p = properties(f.engine.timerLatenessAlarm());
    Map<String, Object> expected = new TreeMap<>(Map.of(
        "Namespace", "Tempora", "MetricName", "TimerLateness", "ExtendedStatistic", "p99",
        "Period", 300, "EvaluationPeriods", 2, "DatapointsToAlarm", 2, "Threshold", 90000,
        "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching"));
    expected.put("AlarmActions", actions);
    expected.put("OKActions", actions);
    assertEquals(expected, withoutDescription(p));
  }

  @Test
  void theDeadLetterAlarmsStayAndEveryAlarmIsListed() {
    List<Alarm> all = f.engine.alarms();
    assertTrue(all.contains(f.engine.workflowTaskFailuresAlarm()));
    assertTrue(all.contains(f.engine.activityFailureRateAlarm()));
    assertTrue(all.contains(f.engine.timerLatenessAlarm()));
    f.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ApproximateNumberOfMessagesVisible",
        "Namespace", "AWS/SQS", "Threshold", 1, "Period", 60));
  }

  @Test
  void theDashboardGraphsEveryEngineMetricAndEveryFailureReason() {
    String body = TemplateJson.render(f.json.properties(f.json.id(f.engine.dashboard().dashboard())).get("DashboardBody"));
    for (String name : EngineMetricNames.ALL) {
      assertTrue(body.contains("\"Tempora\",\"" + name + "\"") || body.contains("MetricName=\\\"" + name + "\\\""),
          name + " is not on the dashboard");
    }
    for (String reason : EngineMetricNames.FAILURE_REASONS) {
      assertTrue(body.contains("\"Tempora\",\"WorkflowTaskFailures\",\"Reason\",\"" + reason + "\""), reason);
    }
    // Breakdowns by the contract's dimension sets, found by SEARCH (queues and types are not known at synth).
    assertTrue(body.contains("SEARCH('{Tempora,TaskQueue} MetricName=\\\"WorkflowTasks\\\"', 'Sum', 60)"), body);
    assertTrue(body.contains("SEARCH('{Tempora,WorkflowType} MetricName=\\\"WorkflowTasks\\\"', 'Sum', 60)"), body);
    assertTrue(body.contains("SEARCH('{Tempora,Status} MetricName=\\\"WorkflowsClosed\\\"', 'Sum', 60)"), body);
    assertTrue(body.contains("SEARCH('{Tempora,TaskQueue} MetricName=\\\"ActivityFailures\\\"', 'Sum', 60)"), body);
  }

  private static Map<String, Object> properties(Alarm alarm) {
    return f.json.properties(f.json.id(alarm));
  }

  private static Map<String, Object> withoutDescription(Map<String, Object> p) {
    Map<String, Object> out = new TreeMap<>(p);
    assertTrue(((String) out.remove("AlarmDescription")).length() > 40);
    return out;
  }
}
