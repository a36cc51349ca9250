package dev.tempora.cdk;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.constructs.Construct;

/**
 * Alarms on the engine's own metrics ({@link EngineMetricNames}, dimensionless totals), the failures
 * the functions' error alarms cannot see: a failing workflow task is a partial batch failure, not a
 * Lambda error, and an activity attempt that fails is retried, not dead-lettered for a long while.
 */
final class EngineMetricAlarms extends Construct {
  /** One minute: a failing workflow task alarms within about two (well within five) minutes. */
  static final Duration TASK_FAILURE_PERIOD = Duration.minutes(1);
  static final Duration RATE_PERIOD = Duration.minutes(5);

  private final Alarm workflowTaskFailures;
  private final Alarm activityFailureRate;
  private final Alarm timerLateness;

  EngineMetricAlarms(Construct scope, String id, double activityFailureRatePercent, Duration timerLatenessThreshold) {
    super(scope, id);
    workflowTaskFailures = Alarm.Builder.create(this, "WorkflowTaskFailures")
        .alarmDescription("A workflow task failed (non-determinism, an unknown type, a deadlock or another error): its "
            + "run is parked and does not progress. Describe the run for the task failure, fix or roll back the code.")
        .metric(EngineMetricNames.total(EngineMetricNames.WORKFLOW_TASK_FAILURES, "Sum", TASK_FAILURE_PERIOD, null))
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .threshold(1)
        .evaluationPeriods(1)
        .datapointsToAlarm(1)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
    // Rate, not count: a busy engine retries some attempts all the time; a share that stays high is a fault.
    MathExpression rate = MathExpression.Builder.create()
        .expression("IF(attempts > 0, 100 * failures / attempts, 0)")
        .usingMetrics(Map.of(
            "failures", EngineMetricNames.total(EngineMetricNames.ACTIVITY_FAILURES, "Sum", RATE_PERIOD, null),
            "attempts", EngineMetricNames.total(EngineMetricNames.ACTIVITY_ATTEMPTS, "Sum", RATE_PERIOD, null)))
        .label("Activity failure rate (%)")
        .period(RATE_PERIOD)
        .build();
    activityFailureRate = Alarm.Builder.create(this, "ActivityFailureRate")
        .alarmDescription("More than " + activityFailureRatePercent + "% of activity attempts failed for 10 minutes: "
            + "see the activity functions' WARN logs (attempt, failure) and the ActivityFailures metric by task queue.")
        .metric(rate)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
        .threshold(activityFailureRatePercent)
        .evaluationPeriods(2)
        .datapointsToAlarm(2)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
    timerLateness = Alarm.Builder.create(this, "TimerLateness")
        .alarmDescription("Timers fire " + timerLatenessThreshold.toSeconds().longValue() + " s or more late (p99, 10 "
            + "minutes): the timers queue or the coordinator is behind, or Scheduler deliveries fail (see the timers "
            + "and workflow-task queues' age and the schedules' DLQ).")
        .metric(EngineMetricNames.total(EngineMetricNames.TIMER_LATENESS, "p99", RATE_PERIOD, null))
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .threshold(timerLatenessThreshold.toMilliseconds().doubleValue())
        .evaluationPeriods(2)
        .datapointsToAlarm(2)
        .treatMissingData(TreatMissingData.NOT_BREACHING)
        .build();
  }

  Alarm workflowTaskFailures() {
    return workflowTaskFailures;
  }

  Alarm activityFailureRate() {
    return activityFailureRate;
  }

  Alarm timerLateness() {
    return timerLateness;
  }
}
