package dev.tempora.activity;

import java.time.Instant;

/** Which activity attempt is running, for whom. {@code attempt} starts at 1. */
public record ActivityInfo(
    String namespace,
    String workflowId,
    String runId,
    String activityId,
    String activityType,
    String taskQueue,
    int attempt,
    Instant scheduledTime) {}
