package dev.tempora.client.schedules;

import dev.tempora.client.WorkflowExecution;
import java.time.Instant;
import java.util.List;

/**
 * What a schedule has done: counts of actions taken, skipped because one was still open,
 * dropped from a full buffer and missed beyond the catch-up window; the actions waiting in the
 * buffer; the open action workflows; the last 10 actions; the next 10 fire times (empty while paused).
 */
public record ScheduleInfo(long numActions, long numActionsSkippedOverlap, long numBufferDropped,
    long numActionsMissedCatchupWindow, int bufferedActions, List<WorkflowExecution> runningActions,
    List<ScheduleActionResult> recentActions, List<Instant> nextActionTimes, Instant createdAt, Instant lastUpdatedAt) {}
