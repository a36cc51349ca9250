package dev.tempora.internal.schedules;

import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleActionResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A schedule as stored (ADR 14): the definition with its state (paused, note, remaining
 * actions) and what the engine keeps to apply the policies. Every write is conditional on {@code
 * version}; {@code generation} changes with the definition, so firings of an older one are dropped.
 *
 * @param lastFired the latest scheduled time the engine has handled
 * @param handled the last {@link #HANDLED} scheduled times handled: a repeated firing among them is
 *     dropped, and one that arrives after a later one (firings of a backlog on a standard queue) is not
 * @param coveredUntil the latest fire time handed to the firing path (the AWS tick's high-water mark)
 * @param syncedGeneration the generation the Scheduler schedule was last written for
 */
public record ScheduleItem(String namespace, String scheduleId, Schedule schedule, long version, long generation,
    boolean deleted, long syncedGeneration, Instant createdAt, Instant updatedAt, Instant lastFired,
    Instant coveredUntil, List<Instant> handled, List<WorkflowExecution> running, List<Instant> buffered,
    List<ScheduleActionResult> recent, long numActions, long numSkipped, long numBufferDropped, long numMissed) {
  public static final int RECENT = 10;
  public static final int HANDLED = 64;

  public ScheduleItem {
    handled = List.copyOf(handled);
    running = List.copyOf(running);
    buffered = List.copyOf(buffered);
    recent = List.copyOf(recent);
  }

  public static ScheduleItem created(String namespace, String scheduleId, Schedule schedule, Instant now) {
    return new ScheduleItem(namespace, scheduleId, schedule, 1, 1, false, 0, now, now, null, now, List.of(), List.of(),
        List.of(), List.of(), 0, 0, 0, 0);
  }

  public Edit edit() {
    return new Edit(this);
  }

  /** A copy being changed; {@link #build} bumps the version. */
  public static final class Edit {
    private final ScheduleItem from;
    public Schedule schedule;
    public long generation;
    public boolean deleted;
    public long syncedGeneration;
    public Instant updatedAt;
    public Instant lastFired;
    public Instant coveredUntil;
    public final TreeSet<Instant> handled;
    public final List<WorkflowExecution> running;
    public final List<Instant> buffered;
    public final List<ScheduleActionResult> recent;
    public long numActions;
    public long numSkipped;
    public long numBufferDropped;
    public long numMissed;

    private Edit(ScheduleItem i) {
      from = i;
      schedule = i.schedule;
      generation = i.generation;
      deleted = i.deleted;
      syncedGeneration = i.syncedGeneration;
      updatedAt = i.updatedAt;
      lastFired = i.lastFired;
      coveredUntil = i.coveredUntil;
      handled = new TreeSet<>(i.handled);
      running = new ArrayList<>(i.running);
      buffered = new ArrayList<>(i.buffered);
      recent = new ArrayList<>(i.recent);
      numActions = i.numActions;
      numSkipped = i.numSkipped;
      numBufferDropped = i.numBufferDropped;
      numMissed = i.numMissed;
    }

    /** Records {@code t} as handled; false if it was already (a repeated firing). */
    public boolean markHandled(Instant t) {
      if (!handled.add(t)) {
        return false;
      }
      while (handled.size() > HANDLED) {
        handled.pollFirst();
      }
      if (lastFired == null || t.isAfter(lastFired)) {
        lastFired = t;
      }
      return true;
    }

    public void addRecent(ScheduleActionResult r) {
      recent.add(r);
      while (recent.size() > RECENT) {
        recent.removeFirst();
      }
    }

    public ScheduleItem build() {
      return new ScheduleItem(from.namespace, from.scheduleId, schedule, from.version + 1, generation, deleted,
          syncedGeneration, from.createdAt, updatedAt, lastFired, coveredUntil, new ArrayList<>(handled), running, buffered,
          recent, numActions,
          numSkipped, numBufferDropped, numMissed);
    }
  }
}
