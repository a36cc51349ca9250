package dev.tempora.workflow;

import java.util.Optional;

/**
 * Identity of the running workflow execution, and how large its history is as of the current
 * workflow task. {@code continuedExecutionRunId}: the run this one continued as new from (null
 * for a first run). {@code historyLength} and {@code historySize}: events and payload bytes of
 * the history when the task began. {@code continueAsNewSuggested}: the history has reached
 * 4,000 events or 4 MB, Temporal's defaults; past 51,200 events or 50 MB the run is terminated,
 * so a long-lived workflow should call {@link Workflow#continueAsNew} when this turns true.
 * {@code cronSchedule}: a cron workflow's schedule (null otherwise).
 */
public record WorkflowInfo(String namespace, String workflowId, String runId, String workflowType, String taskQueue,
    String continuedExecutionRunId, long historyLength, long historySize, boolean continueAsNewSuggested,
    String cronSchedule) {

  public WorkflowInfo(String namespace, String workflowId, String runId, String workflowType, String taskQueue) {
    this(namespace, workflowId, runId, workflowType, taskQueue, null, 0, 0, false, null);
  }

  /** The cron schedule the workflow was started with, or null (Temporal's name). */
  public String getCronSchedule() {
    return cronSchedule;
  }

  /** Temporal's name: whether the history is large enough that the workflow should continue as new. */
  public boolean isContinueAsNewSuggested() {
    return continueAsNewSuggested;
  }

  /** Temporal's name: the run this one continued as new from, if any. */
  public Optional<String> getContinuedExecutionRunId() {
    return Optional.ofNullable(continuedExecutionRunId);
  }

  /** This info as of a workflow task whose history has {@code length} events and {@code size} payload bytes. */
  public WorkflowInfo atHistory(long length, long size, boolean suggested) {
    return new WorkflowInfo(namespace, workflowId, runId, workflowType, taskQueue, continuedExecutionRunId, length,
        size, suggested, cronSchedule);
  }
}
