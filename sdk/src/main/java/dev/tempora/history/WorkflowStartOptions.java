package dev.tempora.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a start asked for beyond type, task queue and input, as Temporal's start event records it
 * (null = not set): the execution timeout and the instant it expires, the run timeout, the retry
 * policy and the memo (JSON payloads by key, sorted). The engine closes a run still open at its
 * {@link #runDeadline deadline} as timed out. A run started by a workflow retry has its
 * {@code attempt} (the first run's is 1; 0 reads as 1) and {@code firstWorkflowTaskBackoff}: its
 * first workflow task runs no earlier than that after the run's start time (also a delayed start's
 * delay, and a cron run's wait for its fire time). A cron workflow's runs carry its
 * {@code cronSchedule}, the last completed run's result ({@code lastCompletionResult}, kept across
 * failed runs) and the previous run's failure ({@code previousFailure}, null after a success).
 * {@code searchAttributes}: the typed search attributes the start set (by name, sorted), carried
 * to retries and cron runs as Temporal carries them.
 */
public record WorkflowStartOptions(
    Duration workflowExecutionTimeout,
    Duration workflowRunTimeout,
    Instant workflowExecutionExpirationTime,
    ActivityParameters.RetryPolicy retryPolicy,
    Map<String, Payload> memo,
    int attempt,
    Duration firstWorkflowTaskBackoff,
    String cronSchedule,
    Payload lastCompletionResult,
    FailureInfo previousFailure,
    Map<String, SearchAttributeValue> searchAttributes) {

  public static final WorkflowStartOptions NONE = new WorkflowStartOptions(null, null, null, null, Map.of());

  public WorkflowStartOptions {
    memo = memo == null || memo.isEmpty() ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(memo));
    attempt = Math.max(1, attempt);
    searchAttributes = searchAttributes == null || searchAttributes.isEmpty() ? Map.of()
        : Collections.unmodifiableSortedMap(new TreeMap<>(searchAttributes));
  }

  public WorkflowStartOptions(Duration workflowExecutionTimeout, Duration workflowRunTimeout,
      Instant workflowExecutionExpirationTime, ActivityParameters.RetryPolicy retryPolicy, Map<String, Payload> memo,
      int attempt, Duration firstWorkflowTaskBackoff, String cronSchedule, Payload lastCompletionResult,
      FailureInfo previousFailure) {
    this(workflowExecutionTimeout, workflowRunTimeout, workflowExecutionExpirationTime, retryPolicy, memo, attempt,
        firstWorkflowTaskBackoff, cronSchedule, lastCompletionResult, previousFailure, null);
  }

  /** These options with the run's typed search attributes (by name; empty: none). */
  public WorkflowStartOptions withSearchAttributes(Map<String, SearchAttributeValue> attributes) {
    return new WorkflowStartOptions(workflowExecutionTimeout, workflowRunTimeout, workflowExecutionExpirationTime,
        retryPolicy, memo, attempt, firstWorkflowTaskBackoff, cronSchedule, lastCompletionResult, previousFailure,
        attributes);
  }

  public WorkflowStartOptions(Duration workflowExecutionTimeout, Duration workflowRunTimeout,
      Instant workflowExecutionExpirationTime, ActivityParameters.RetryPolicy retryPolicy, Map<String, Payload> memo,
      int attempt, Duration firstWorkflowTaskBackoff) {
    this(workflowExecutionTimeout, workflowRunTimeout, workflowExecutionExpirationTime, retryPolicy, memo, attempt,
        firstWorkflowTaskBackoff, null, null, null);
  }

  /** The options of a first run (attempt 1, no backoff). */
  public WorkflowStartOptions(Duration workflowExecutionTimeout, Duration workflowRunTimeout,
      Instant workflowExecutionExpirationTime, ActivityParameters.RetryPolicy retryPolicy, Map<String, Payload> memo) {
    this(workflowExecutionTimeout, workflowRunTimeout, workflowExecutionExpirationTime, retryPolicy, memo, 1, null);
  }

  /** The options of the run that retries this one after {@code backoff}: the same, one attempt later. */
  public WorkflowStartOptions nextAttempt(Duration backoff) {
    return new WorkflowStartOptions(workflowExecutionTimeout, workflowRunTimeout, workflowExecutionExpirationTime,
        retryPolicy, memo, attempt + 1, backoff, cronSchedule, lastCompletionResult, previousFailure, searchAttributes);
  }

  /** These options with the first workflow task waiting {@code backoff} (null: at once). */
  public WorkflowStartOptions withFirstWorkflowTaskBackoff(Duration backoff) {
    return new WorkflowStartOptions(workflowExecutionTimeout, workflowRunTimeout, workflowExecutionExpirationTime,
        retryPolicy, memo, attempt, backoff, cronSchedule, lastCompletionResult, previousFailure, searchAttributes);
  }

  /** These options with a cron schedule (null: none). */
  public WorkflowStartOptions withCronSchedule(String cron) {
    return new WorkflowStartOptions(workflowExecutionTimeout, workflowRunTimeout, workflowExecutionExpirationTime,
        retryPolicy, memo, attempt, firstWorkflowTaskBackoff, cron, lastCompletionResult, previousFailure, searchAttributes);
  }

  /**
   * The options of a cron workflow's next run, waiting {@code backoff} for its fire time: attempt 1
   * again, carrying {@code lastResult} and {@code failure}.
   */
  public WorkflowStartOptions nextCronRun(Duration backoff, Payload lastResult, FailureInfo failure) {
    return new WorkflowStartOptions(workflowExecutionTimeout, workflowRunTimeout, workflowExecutionExpirationTime,
        retryPolicy, memo, 1, backoff, cronSchedule, lastResult, failure, searchAttributes);
  }

  /**
   * When a run started at {@code runStart} must have closed: the earlier of its run timeout
   * (counted from its first workflow task's earliest time, as Temporal counts it) and the
   * execution's expiration; null if neither is set.
   */
  public Instant runDeadline(Instant runStart) {
    Instant firstTask = firstWorkflowTaskBackoff == null ? runStart : runStart.plus(firstWorkflowTaskBackoff);
    Instant byRun = workflowRunTimeout == null ? null : firstTask.plus(workflowRunTimeout);
    Instant byExecution = workflowExecutionExpirationTime;
    if (byRun == null) {
      return byExecution;
    }
    return byExecution == null || byRun.isBefore(byExecution) ? byRun : byExecution;
  }
}
