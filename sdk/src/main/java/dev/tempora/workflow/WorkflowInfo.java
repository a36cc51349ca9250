package dev.tempora.workflow;

/** Identity of the running workflow execution; {@code cronSchedule} is a cron workflow's schedule (null otherwise). */
public record WorkflowInfo(String namespace, String workflowId, String runId, String workflowType, String taskQueue,
    String cronSchedule) {

  public WorkflowInfo(String namespace, String workflowId, String runId, String workflowType, String taskQueue) {
    this(namespace, workflowId, runId, workflowType, taskQueue, null);
  }

  /** The cron schedule the workflow was started with, or null (Temporal's name). */
  public String getCronSchedule() {
    return cronSchedule;
  }
}
