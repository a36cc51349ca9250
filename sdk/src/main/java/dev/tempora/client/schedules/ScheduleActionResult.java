package dev.tempora.client.schedules;

import dev.tempora.client.WorkflowExecution;
import java.time.Instant;

/**
 * One action a schedule took: when it was due, when it started, the run it started ({@code
 * error} instead when the start was refused, e.g. the workflow type is no longer registered).
 */
public record ScheduleActionResult(Instant scheduledAt, Instant startedAt, WorkflowExecution action, String error) {}
