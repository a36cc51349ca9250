package dev.tempora.client.schedules;

/** A schedule as it is now: its definition and state, and what it has done. */
public record ScheduleDescription(String id, Schedule schedule, ScheduleInfo info) {}
