package dev.tempora.client;

import java.time.Instant;
import java.util.List;

/**
 * A run's state: status, pending activities and timers, and why it is stuck if it is:
 * {@code taskFailure} is set while its workflow task fails (non-deterministic code, an unknown
 * workflow type, an exception in workflow code) and cleared when a task succeeds again.
 */
public record WorkflowDescription(
    WorkflowExecution execution,
    String workflowType,
    String taskQueue,
    WorkflowExecutionStatus status,
    Instant startTime,
    Instant closeTime,
    long historyLength,
    List<PendingActivity> pendingActivities,
    List<PendingTimer> pendingTimers,
    String lastFailure,
    String taskFailure) {

  public record PendingActivity(String activityId, String activityType, String taskQueue, Instant scheduledTime) {}

  public record PendingTimer(String timerId, Instant fireTime) {}
}
