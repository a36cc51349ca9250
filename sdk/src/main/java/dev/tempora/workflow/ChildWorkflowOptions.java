package dev.tempora.workflow;

import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowIdReusePolicy;
import dev.tempora.common.SearchAttributes;
import java.time.Duration;
import java.util.Map;

/**
 * How a child workflow is started, as Temporal's {@code ChildWorkflowOptions}. Unset: the workflow
 * id is the parent's id with {@code -child-} and the command's number (deterministic, so a replay
 * names the same child), the task queue is the parent's, the close policy is {@link
 * ParentClosePolicy#PARENT_CLOSE_POLICY_TERMINATE}, the cancellation type {@link
 * ChildWorkflowCancellationType#WAIT_CANCELLATION_COMPLETED}, the reuse policy {@code ALLOW_DUPLICATE}.
 */
public final class ChildWorkflowOptions {
  private final String workflowId;
  private final String taskQueue;
  private final Duration workflowExecutionTimeout;
  private final Duration workflowRunTimeout;
  private final RetryOptions retryOptions;
  private final ParentClosePolicy parentClosePolicy;
  private final ChildWorkflowCancellationType cancellationType;
  private final WorkflowIdReusePolicy workflowIdReusePolicy;
  private final Map<String, Object> memo;
  private final SearchAttributes typedSearchAttributes;

  private ChildWorkflowOptions(Builder b) {
    workflowId = b.workflowId;
    taskQueue = b.taskQueue;
    workflowExecutionTimeout = b.workflowExecutionTimeout;
    workflowRunTimeout = b.workflowRunTimeout;
    retryOptions = b.retryOptions;
    parentClosePolicy = b.parentClosePolicy;
    cancellationType = b.cancellationType;
    workflowIdReusePolicy = b.workflowIdReusePolicy;
    memo = b.memo;
    typedSearchAttributes = b.typedSearchAttributes;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static Builder newBuilder(ChildWorkflowOptions o) {
    Builder b = new Builder();
    if (o != null) {
      b.workflowId = o.workflowId;
      b.taskQueue = o.taskQueue;
      b.workflowExecutionTimeout = o.workflowExecutionTimeout;
      b.workflowRunTimeout = o.workflowRunTimeout;
      b.retryOptions = o.retryOptions;
      b.parentClosePolicy = o.parentClosePolicy;
      b.cancellationType = o.cancellationType;
      b.workflowIdReusePolicy = o.workflowIdReusePolicy;
      b.memo = o.memo;
      b.typedSearchAttributes = o.typedSearchAttributes;
    }
    return b;
  }

  public static ChildWorkflowOptions getDefaultInstance() {
    return newBuilder().build();
  }

  public String getWorkflowId() { return workflowId; }
  public String getTaskQueue() { return taskQueue; }
  public Duration getWorkflowExecutionTimeout() { return workflowExecutionTimeout; }
  public Duration getWorkflowRunTimeout() { return workflowRunTimeout; }
  public RetryOptions getRetryOptions() { return retryOptions; }
  public ParentClosePolicy getParentClosePolicy() { return parentClosePolicy; }
  public ChildWorkflowCancellationType getCancellationType() { return cancellationType; }
  public WorkflowIdReusePolicy getWorkflowIdReusePolicy() { return workflowIdReusePolicy; }
  public Map<String, Object> getMemo() { return memo; }
  public SearchAttributes getTypedSearchAttributes() { return typedSearchAttributes; }

  public static final class Builder {
    private String workflowId;
    private String taskQueue;
    private Duration workflowExecutionTimeout;
    private Duration workflowRunTimeout;
    private RetryOptions retryOptions;
    private ParentClosePolicy parentClosePolicy = ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE;
    private ChildWorkflowCancellationType cancellationType = ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED;
    private WorkflowIdReusePolicy workflowIdReusePolicy = WorkflowIdReusePolicy.ALLOW_DUPLICATE;
    private Map<String, Object> memo = Map.of();
    private SearchAttributes typedSearchAttributes;

    private Builder() {}

    public Builder setWorkflowId(String workflowId) { this.workflowId = workflowId; return this; }
    public Builder setTaskQueue(String taskQueue) { this.taskQueue = taskQueue; return this; }
    public Builder setWorkflowExecutionTimeout(Duration d) { this.workflowExecutionTimeout = d; return this; }
    public Builder setWorkflowRunTimeout(Duration d) { this.workflowRunTimeout = d; return this; }
    public Builder setRetryOptions(RetryOptions r) { this.retryOptions = r; return this; }

    public Builder setParentClosePolicy(ParentClosePolicy p) {
      this.parentClosePolicy = p == null ? ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE : p;
      return this;
    }

    public Builder setCancellationType(ChildWorkflowCancellationType t) {
      this.cancellationType = t == null ? ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED : t;
      return this;
    }

    public Builder setWorkflowIdReusePolicy(WorkflowIdReusePolicy p) {
      this.workflowIdReusePolicy = p == null ? WorkflowIdReusePolicy.ALLOW_DUPLICATE : p;
      return this;
    }

    public Builder setMemo(Map<String, Object> memo) { this.memo = memo == null ? Map.of() : Map.copyOf(memo); return this; }

    /** The child's typed search attributes (as {@code WorkflowOptions.setTypedSearchAttributes}). */
    public Builder setTypedSearchAttributes(SearchAttributes attributes) {
      this.typedSearchAttributes = attributes;
      return this;
    }

    public ChildWorkflowOptions build() {
      return new ChildWorkflowOptions(this);
    }
  }
}
