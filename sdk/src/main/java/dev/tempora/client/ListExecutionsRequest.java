package dev.tempora.client;

import java.time.Instant;

/** Filters for listing runs; null fields match everything. Newest first, at most {@code limit}. */
public record ListExecutionsRequest(
    WorkflowExecutionStatus status, String workflowType, Instant startedAfter, Instant startedBefore, int limit) {

  public static ListExecutionsRequest all() {
    return new ListExecutionsRequest(null, null, null, null, 1000);
  }

  public ListExecutionsRequest withStatus(WorkflowExecutionStatus s) {
    return new ListExecutionsRequest(s, workflowType, startedAfter, startedBefore, limit);
  }

  public ListExecutionsRequest withWorkflowType(String t) {
    return new ListExecutionsRequest(status, t, startedAfter, startedBefore, limit);
  }
}
