package dev.tempora.client;

import java.util.List;

/**
 * One page of a list query: pass {@code nextPageToken} to
 * {@link WorkflowClient#listExecutionsPage} for the next; null on the last page.
 */
public record WorkflowExecutionPage(List<WorkflowExecutionMetadata> executions, String nextPageToken) {}
