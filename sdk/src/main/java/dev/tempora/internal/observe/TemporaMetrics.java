package dev.tempora.internal.observe;

import dev.tempora.internal.observe.MetricRecord.Metric;
import dev.tempora.internal.observe.MetricRecord.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine's metrics: names, units and dimension sets (namespace {@value EmfMetrics#NAMESPACE}).
 * This is the contract the CDK dashboard and alarms read; keep names and dimensions as they are.
 * Every record has a dimensionless set too: the totals alarms watch.
 */
public final class TemporaMetrics {
  public static final String WORKFLOW_TASKS = "WorkflowTasks";
  public static final String WORKFLOW_TASK_LATENCY = "WorkflowTaskLatency";
  public static final String WORKFLOW_TASK_FAILURES = "WorkflowTaskFailures";
  public static final String CACHE_HITS = "CacheHits";
  public static final String CACHE_MISSES = "CacheMisses";
  public static final String FULL_REPLAYS = "FullReplays";
  public static final String ACTIVITY_SCHEDULE_TO_START_LATENCY = "ActivityScheduleToStartLatency";
  public static final String ACTIVITY_ATTEMPTS = "ActivityAttempts";
  public static final String ACTIVITY_FAILURES = "ActivityFailures";
  public static final String ACTIVITY_RETRIES = "ActivityRetries";
  public static final String WORKFLOWS_CLOSED = "WorkflowsClosed";
  public static final String TIMER_LATENESS = "TimerLateness";
  public static final String PAYLOADS_BY_REFERENCE = "PayloadsByReference";

  public static final String TASK_QUEUE = "TaskQueue";
  public static final String WORKFLOW_TYPE = "WorkflowType";
  public static final String REASON = "Reason";
  public static final String STATUS = "Status";

  /** Why a workflow task failed (the {@value #REASON} dimension). */
  public enum FailureReason {
    NonDeterminism, UnknownType, Deadlock, Other;

    /** From a parked task's reason, whose first word names the error (ADR 8). */
    public static FailureReason of(String reason) {
      if (reason == null) {
        return Other;
      }
      if (reason.startsWith("NonDeterministicWorkflowError")) {
        return NonDeterminism;
      }
      if (reason.startsWith("UnknownWorkflowType") || reason.startsWith("UnknownTaskQueue")) {
        return UnknownType;
      }
      if (reason.startsWith("PotentialDeadlock")) {
        return Deadlock;
      }
      return Other;
    }
  }

  private final EngineMetrics port;

  public TemporaMetrics(EngineMetrics port) {
    this.port = port;
  }

  /** A workflow task that decided (committed, or found nothing to decide): its latency and where its runner came from. */
  public void workflowTask(String taskQueue, String workflowType, double latencyMillis, boolean cacheHit,
      boolean fullReplay) {
    List<Metric> m = new ArrayList<>();
    m.add(count(WORKFLOW_TASKS));
    m.add(new Metric(WORKFLOW_TASK_LATENCY, latencyMillis, Unit.MILLISECONDS));
    m.add(count(cacheHit ? CACHE_HITS : CACHE_MISSES));
    if (fullReplay) {
      m.add(count(FULL_REPLAYS));
    }
    emit(workflow(taskQueue, workflowType), m);
  }

  public void workflowTaskFailure(FailureReason reason) {
    port.emit(new MetricRecord(Map.of(REASON, reason.name()), List.of(List.of(REASON), List.of()),
        List.of(count(WORKFLOW_TASK_FAILURES))));
  }

  public void workflowClosed(String taskQueue, String workflowType, String status) {
    port.emit(new MetricRecord(Map.of(STATUS, status, TASK_QUEUE, nonNull(taskQueue), WORKFLOW_TYPE, nonNull(workflowType)),
        List.of(List.of(STATUS), List.of(STATUS, TASK_QUEUE, WORKFLOW_TYPE), List.of()), List.of(count(WORKFLOWS_CLOSED))));
  }

  /** How late a timer fired: the task's time minus the timer's fire time. */
  public void timerLateness(String taskQueue, String workflowType, double millis) {
    emit(workflow(taskQueue, workflowType), List.of(new Metric(TIMER_LATENESS, millis, Unit.MILLISECONDS)));
  }

  /** An attempt starts; {@code scheduleToStartMillis} is null when not known (retries). */
  public void activityAttempt(String taskQueue, Double scheduleToStartMillis) {
    List<Metric> m = new ArrayList<>();
    m.add(count(ACTIVITY_ATTEMPTS));
    if (scheduleToStartMillis != null) {
      m.add(new Metric(ACTIVITY_SCHEDULE_TO_START_LATENCY, scheduleToStartMillis, Unit.MILLISECONDS));
    }
    emit(activity(taskQueue), m);
  }

  /** An attempt failed; {@code retried}: another attempt was scheduled. */
  public void activityFailure(String taskQueue, boolean retried) {
    emit(activity(taskQueue), retried ? List.of(count(ACTIVITY_FAILURES), count(ACTIVITY_RETRIES))
        : List.of(count(ACTIVITY_FAILURES)));
  }

  /** A message or payload too large for SQS went by reference (its body in the table). */
  public void payloadByReference() {
    port.emit(new MetricRecord(Map.of(), List.of(List.of()), List.of(count(PAYLOADS_BY_REFERENCE))));
  }

  private void emit(Map<String, String> dimensions, List<Metric> metrics) {
    List<List<String>> sets = dimensions.size() == 1 ? List.of(List.of(TASK_QUEUE), List.of())
        : List.of(List.of(TASK_QUEUE), List.of(WORKFLOW_TYPE), List.of());
    port.emit(new MetricRecord(dimensions, sets, metrics));
  }

  private static Map<String, String> workflow(String taskQueue, String workflowType) {
    return Map.of(TASK_QUEUE, nonNull(taskQueue), WORKFLOW_TYPE, nonNull(workflowType));
  }

  private static Map<String, String> activity(String taskQueue) {
    return Map.of(TASK_QUEUE, nonNull(taskQueue));
  }

  private static String nonNull(String s) {
    return s == null || s.isEmpty() ? "unknown" : s;
  }

  private static Metric count(String name) {
    return new Metric(name, 1, Unit.COUNT);
  }
}
