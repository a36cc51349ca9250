package dev.tempora.client;

import dev.tempora.activity.RetryOptions;
import dev.tempora.common.SearchAttributes;
import dev.tempora.internal.client.RequestValidator;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to start a workflow, with Temporal's names. Without a workflow id a random one is used.
 * Timeouts, retry options and memo are checked when the start is sent (invalid ones are refused
 * with {@link InvalidRequestException}), and recorded in the run's start event.
 */
public final class WorkflowOptions {
  private final String workflowId;
  private final String taskQueue;
  private final WorkflowIdReusePolicy workflowIdReusePolicy;
  private final Duration workflowExecutionTimeout;
  private final Duration workflowRunTimeout;
  private final RetryOptions retryOptions;
  private final Map<String, Object> memo;
  private final String cronSchedule;
  private final Duration startDelay;
  private final SearchAttributes typedSearchAttributes;

  private WorkflowOptions(Builder b) {
    this.workflowId = b.workflowId;
    this.taskQueue = b.taskQueue;
    this.workflowIdReusePolicy = b.workflowIdReusePolicy;
    this.workflowExecutionTimeout = b.workflowExecutionTimeout;
    this.workflowRunTimeout = b.workflowRunTimeout;
    this.retryOptions = b.retryOptions;
    this.memo = b.memo == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.memo));
    this.cronSchedule = b.cronSchedule;
    this.startDelay = b.startDelay;
    this.typedSearchAttributes = b.typedSearchAttributes;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public String getWorkflowId() { return workflowId; }
  public String getTaskQueue() { return taskQueue; }
  public WorkflowIdReusePolicy getWorkflowIdReusePolicy() { return workflowIdReusePolicy; }
  public Duration getWorkflowExecutionTimeout() { return workflowExecutionTimeout; }
  public Duration getWorkflowRunTimeout() { return workflowRunTimeout; }
  public RetryOptions getRetryOptions() { return retryOptions; }
  public Map<String, Object> getMemo() { return memo; }
  public String getCronSchedule() { return cronSchedule; }
  public Duration getStartDelay() { return startDelay; }
  public SearchAttributes getTypedSearchAttributes() { return typedSearchAttributes; }

  public static final class Builder {
    private String workflowId;
    private String taskQueue = "default";
    private WorkflowIdReusePolicy workflowIdReusePolicy = WorkflowIdReusePolicy.ALLOW_DUPLICATE;
    private Duration workflowExecutionTimeout;
    private Duration workflowRunTimeout;
    private RetryOptions retryOptions;
    private Map<String, Object> memo;
    private String cronSchedule;
    private Duration startDelay;
    private SearchAttributes typedSearchAttributes;

    /**
     * 1-255 characters of well-formed Unicode, not blank (null: a random id).
     *
     * @throws InvalidRequestException {@code InvalidWorkflowId} otherwise
     */
    public Builder setWorkflowId(String workflowId) {
      this.workflowId = workflowId == null ? null : RequestValidator.workflowId(workflowId);
      return this;
    }

    public Builder setTaskQueue(String taskQueue) { this.taskQueue = taskQueue; return this; }
    public Builder setWorkflowIdReusePolicy(WorkflowIdReusePolicy p) { this.workflowIdReusePolicy = p; return this; }

    /**
     * How long the workflow may take in all, across its runs (retries included): a run still open
     * then is closed as {@link WorkflowExecutionStatus#TIMED_OUT}. Null or zero: unlimited.
     */
    public Builder setWorkflowExecutionTimeout(Duration timeout) { this.workflowExecutionTimeout = timeout; return this; }

    /**
     * How long one run may take: a run still open then is closed as
     * {@link WorkflowExecutionStatus#TIMED_OUT}. Null or zero: unlimited (at most the execution timeout).
     */
    public Builder setWorkflowRunTimeout(Duration timeout) { this.workflowRunTimeout = timeout; return this; }

    /** The workflow's retry policy, recorded with the run and shown by describe. */
    public Builder setRetryOptions(RetryOptions retryOptions) { this.retryOptions = retryOptions; return this; }

    /** Values (converted to JSON) recorded with the run and shown by describe; not seen by workflow code. */
    public Builder setMemo(Map<String, Object> memo) { this.memo = memo; return this; }

    /**
     * Runs the workflow as a cron workflow: its first run waits for the first fire time, and each
     * run's close (completed, failed or timed out) is followed by a run of the same id at the next
     * fire time, which sees the last completion result and the previous run's failure. Cancel and
     * terminate end the chain. Standard 5-field cron ({@code "0 12 * * MON-FRI"}), 6 fields with
     * seconds first, {@code @daily}-style nicknames, {@code @every 30m}, an optional
     * {@code CRON_TZ=Europe/Berlin} prefix (UTC otherwise). Refused when the start is sent with
     * {@code InvalidCronExpression} if it does not parse.
     */
    public Builder setCronSchedule(String cronSchedule) { this.cronSchedule = cronSchedule; return this; }

    /**
     * The first workflow task waits this long after the start (Temporal's delayed start); the run
     * can be cancelled or terminated meanwhile. Not with a cron schedule. Null or zero: at once.
     */
    public Builder setStartDelay(Duration startDelay) { this.startDelay = startDelay; return this; }

    /**
     * The run's typed search attributes (as Temporal's): list queries find the run by them
     * ({@code CustomerId = 'c-7'}), describe shows them, workflow code reads and upserts them.
     * Names are letters, digits and _, not a system field's ({@code WorkflowId}, {@code StartTime}...);
     * refused with {@code InvalidSearchAttributes} when the start is sent otherwise.
     */
    public Builder setTypedSearchAttributes(SearchAttributes searchAttributes) {
      this.typedSearchAttributes = searchAttributes;
      return this;
    }

    public WorkflowOptions build() {
      return new WorkflowOptions(this);
    }
  }
}
