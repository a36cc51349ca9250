package dev.tempora.client.schedules;

/** What a schedule does when an action is due while an earlier action's workflow is still open. */
public enum ScheduleOverlapPolicy {
  /** Do nothing (counted as skipped in the description). The default. */
  SKIP,
  /** Start it after the open one closes; at most one waits, later ones are dropped. */
  BUFFER_ONE,
  /** Start each, one after the other, as the previous closes. */
  BUFFER_ALL,
  /** Request cancellation of the open one; start the new one once it has closed. */
  CANCEL_OTHER,
  /** Terminate the open one and start the new one at once. */
  TERMINATE_OTHER,
  /** Start it anyway: actions may run at the same time. */
  ALLOW_ALL
}
