package dev.tempora.history;

/** The run that started a child workflow, and the parent's command ({@code seq}) that did. */
public record ParentExecution(String namespace, String workflowId, String runId, long seq) {}
