package dev.tempora.client.schedules;

import java.util.List;
import java.util.function.Function;

/** One schedule, by id. Every operation throws {@link ScheduleNotFoundException} if it does not exist. */
public interface ScheduleHandle {
  String getId();

  ScheduleDescription describe();

  /**
   * Replaces the schedule with what {@code updater} makes of its current description (read,
   * changed and written conditionally; re-run on a concurrent change). What it has done so far is
   * kept; the new spec applies from the next fire time.
   */
  void update(Function<ScheduleDescription, Schedule> updater);

  void pause(String note);

  default void pause() {
    pause("paused");
  }

  void unpause(String note);

  default void unpause() {
    unpause("unpaused");
  }

  /** Takes the action now, with the schedule's overlap policy. */
  default void trigger() {
    trigger(null);
  }

  /** Takes the action now with this overlap policy (null: the schedule's). */
  void trigger(ScheduleOverlapPolicy overlapPolicy);

  void backfill(List<ScheduleBackfill> backfills);

  /** Deletes the schedule; workflows it started keep running. */
  void delete();
}
