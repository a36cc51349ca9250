package dev.tempora.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tempora.activity.RetryOptions;
import dev.tempora.common.SearchAttributes;
import dev.tempora.internal.converter.DataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run's state: status, pending activities and timers, and why it is stuck if it is:
 * {@code taskFailure} is set while its workflow task fails (non-deterministic code, an unknown
 * workflow type, an exception in workflow code) and cleared when a task succeeds again. The start's
 * options as recorded: timeouts (null: none; the run timeout at most the execution timeout), the
 * execution's expiration, the retry options (null: none) and the memo (JSON values as plain Java
 * maps, lists, strings, numbers and booleans; {@link #getMemo} converts one to a type), its upserts
 * ({@code Workflow.upsertMemo}) applied, and the typed search attributes, upserts applied.
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
    String taskFailure,
    Duration workflowExecutionTimeout,
    Duration workflowRunTimeout,
    Instant workflowExecutionExpirationTime,
    RetryOptions retryOptions,
    Map<String, Object> memo,
    @JsonIgnore SearchAttributes typedSearchAttributes) {

  /** A description without search attributes. */
  public WorkflowDescription(WorkflowExecution execution, String workflowType, String taskQueue,
      WorkflowExecutionStatus status, Instant startTime, Instant closeTime, long historyLength,
      List<PendingActivity> pendingActivities, List<PendingTimer> pendingTimers, String lastFailure,
      String taskFailure, Duration workflowExecutionTimeout, Duration workflowRunTimeout,
      Instant workflowExecutionExpirationTime, RetryOptions retryOptions, Map<String, Object> memo) {
    this(execution, workflowType, taskQueue, status, startTime, closeTime, historyLength, pendingActivities,
        pendingTimers, lastFailure, taskFailure, workflowExecutionTimeout, workflowRunTimeout,
        workflowExecutionExpirationTime, retryOptions, memo, SearchAttributes.EMPTY);
  }

  /** The run's search attributes: its start's with its upserts applied (Temporal's {@code getTypedSearchAttributes}). */
  @JsonIgnore
  public SearchAttributes getTypedSearchAttributes() {
    return typedSearchAttributes == null ? SearchAttributes.EMPTY : typedSearchAttributes;
  }

  /** A description without start options. */
  public WorkflowDescription(WorkflowExecution execution, String workflowType, String taskQueue,
      WorkflowExecutionStatus status, Instant startTime, Instant closeTime, long historyLength,
      List<PendingActivity> pendingActivities, List<PendingTimer> pendingTimers, String lastFailure,
      String taskFailure) {
    this(execution, workflowType, taskQueue, status, startTime, closeTime, historyLength, pendingActivities,
        pendingTimers, lastFailure, taskFailure, null, null, null, null, Map.of(), SearchAttributes.EMPTY);
  }

  /** The memo value under {@code key} as {@code type} (as Temporal's {@code getMemo}); null if absent. */
  public <T> T getMemo(String key, Class<T> type) {
    Object v = memo == null ? null : memo.get(key);
    return v == null ? null : DataConverter.get().mapper().convertValue(v, type);
  }

  /**
   * A pending activity (Temporal's {@code PendingActivityInfo}): its current attempt (the one running
   * or the next one due), the last attempt's failure with its cause chain, the last heartbeat's
   * details (plain JSON values; null for none or encoded details) and time, and when the next
   * attempt is scheduled (null unless a retry waits for its backoff).
   */
  public record PendingActivity(String activityId, String activityType, String taskQueue, Instant scheduledTime,
      int attempt, Failure lastFailure, Object heartbeatDetails, Instant lastHeartbeatTime,
      Instant nextAttemptScheduleTime) {

    /** A pending activity known only from history: attempt 1, nothing else known. */
    public PendingActivity(String activityId, String activityType, String taskQueue, Instant scheduledTime) {
      this(activityId, activityType, taskQueue, scheduledTime, 1, null, null, null, null);
    }

    public String getActivityId() { return activityId; }
    public String getActivityType() { return activityType; }
    public int getAttempt() { return attempt; }
    public Failure getLastFailure() { return lastFailure; }
    public Object getHeartbeatDetails() { return heartbeatDetails; }
    public Instant getLastHeartbeatTime() { return lastHeartbeatTime; }
    public Instant getNextAttemptScheduleTime() { return nextAttemptScheduleTime; }
  }

  /**
   * A failure as describe shows it: its kind (APPLICATION, TIMEOUT, CANCELED...), the application
   * failure type, the message, whether it is non-retryable, and its cause. No stack trace: that is
   * in the worker's log event.
   */
  public record Failure(String kind, String type, String message, boolean nonRetryable, Failure cause) {}

  public record PendingTimer(String timerId, Instant fireTime) {}
}
