package dev.tempora.internal.schedules;

/**
 * Port: what makes a schedule's firings happen. On AWS one recurring EventBridge Scheduler
 * schedule per schedule (written once per generation); in memory an engine timer at the next
 * fire time, re-armed after each firing.
 */
public interface ScheduleTicker {
  /** The item's definition (this generation) is to produce firings from now on. Idempotent. */
  void sync(ScheduleItem item);

  /** The engine handled a firing of this item: arm the next one if the ticker works that way. */
  void fired(ScheduleItem item);

  /** No more firings for this schedule. Idempotent. */
  void remove(String namespace, String scheduleId);
}
