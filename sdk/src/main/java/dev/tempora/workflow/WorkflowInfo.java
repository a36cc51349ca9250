package dev.tempora.workflow;

/** Identity of the running workflow execution. */
public record WorkflowInfo(String namespace, String workflowId, String runId, String workflowType, String taskQueue) {}
