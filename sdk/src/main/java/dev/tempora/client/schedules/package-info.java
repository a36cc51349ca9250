/**
 * Schedules (Temporal's Schedule API): a {@link dev.tempora.client.schedules.ScheduleClient}
 * creates schedules that start a workflow at the times of a {@link
 * dev.tempora.client.schedules.ScheduleSpec}, with overlap, catch-up and pause policies.
 */
package dev.tempora.client.schedules;
