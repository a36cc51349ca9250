package dev.tempora.client;

import java.time.Instant;

/** A row of {@link WorkflowClient#listExecutions}. */
public record WorkflowExecutionInfo(
    WorkflowExecution execution, String workflowType, String taskQueue, WorkflowExecutionStatus status,
    Instant startTime, Instant closeTime) {}
