package dev.tempora.client;

/** How many runs a query matches ({@link WorkflowClient#countWorkflows(String)}). */
public record WorkflowExecutionCount(long count) {
  public long getCount() { return count; }
}
