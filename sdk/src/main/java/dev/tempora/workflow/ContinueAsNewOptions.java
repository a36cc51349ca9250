package dev.tempora.workflow;

import dev.tempora.activity.RetryOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the next run of a {@code Workflow.continueAsNew} may change, with Temporal's names; what is
 * not set is carried over from the closing run (its task queue, run timeout, retry options, memo).
 * The execution timeout is not an option: it bounds the whole chain, as in Temporal.
 */
public final class ContinueAsNewOptions {
  private final String taskQueue;
  private final Duration workflowRunTimeout;
  private final RetryOptions retryOptions;
  private final Map<String, Object> memo;

  private ContinueAsNewOptions(Builder b) {
    this.taskQueue = b.taskQueue;
    this.workflowRunTimeout = b.workflowRunTimeout;
    this.retryOptions = b.retryOptions;
    this.memo = b.memo == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.memo));
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static ContinueAsNewOptions getDefaultInstance() {
    return new Builder().build();
  }

  public String getTaskQueue() { return taskQueue; }
  public Duration getWorkflowRunTimeout() { return workflowRunTimeout; }
  public RetryOptions getRetryOptions() { return retryOptions; }
  public Map<String, Object> getMemo() { return memo; }

  public static final class Builder {
    private String taskQueue;
    private Duration workflowRunTimeout;
    private RetryOptions retryOptions;
    private Map<String, Object> memo;

    public Builder setTaskQueue(String taskQueue) {
      this.taskQueue = taskQueue;
      return this;
    }

    public Builder setWorkflowRunTimeout(Duration workflowRunTimeout) {
      this.workflowRunTimeout = workflowRunTimeout;
      return this;
    }

    public Builder setRetryOptions(RetryOptions retryOptions) {
      this.retryOptions = retryOptions;
      return this;
    }

    public Builder setMemo(Map<String, Object> memo) {
      this.memo = memo;
      return this;
    }

    public ContinueAsNewOptions build() {
      return new ContinueAsNewOptions(this);
    }
  }
}
