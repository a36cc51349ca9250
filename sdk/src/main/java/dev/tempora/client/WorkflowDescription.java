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

  public record PendingActivity(String activityId, String activityType, String taskQueue, Instant scheduledTime) {}

  public record PendingTimer(String timerId, Instant fireTime) {}
}
