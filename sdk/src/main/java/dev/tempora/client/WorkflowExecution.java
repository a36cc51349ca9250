package dev.tempora.client;

/** One run of a workflow: the workflow id (the user's key) and the run id Tempora assigned. */
public record WorkflowExecution(String workflowId, String runId) {}
