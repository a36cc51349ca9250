package dev.tempora.client.schedules;

import java.time.Instant;
import java.util.List;

/** A schedule in a list: its id, action's workflow type, whether paused, and its next fire times. */
public record ScheduleListDescription(String scheduleId, String workflowType, boolean paused, String note,
    List<Instant> nextActionTimes) {}
