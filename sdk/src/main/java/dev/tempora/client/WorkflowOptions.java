package dev.tempora.client;

import dev.tempora.internal.client.RequestValidator;

/** How to start a workflow. Without a workflow id a random one is used. */
public final class WorkflowOptions {
  private final String workflowId;
  private final String taskQueue;
  private final WorkflowIdReusePolicy workflowIdReusePolicy;

  private WorkflowOptions(Builder b) {
    this.workflowId = b.workflowId;
    this.taskQueue = b.taskQueue;
    this.workflowIdReusePolicy = b.workflowIdReusePolicy;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public String getWorkflowId() { return workflowId; }
  public String getTaskQueue() { return taskQueue; }
  public WorkflowIdReusePolicy getWorkflowIdReusePolicy() { return workflowIdReusePolicy; }

  public static final class Builder {
    private String workflowId;
    private String taskQueue = "default";
    private WorkflowIdReusePolicy workflowIdReusePolicy = WorkflowIdReusePolicy.ALLOW_DUPLICATE;

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

    public WorkflowOptions build() {
      return new WorkflowOptions(this);
    }
  }
}
