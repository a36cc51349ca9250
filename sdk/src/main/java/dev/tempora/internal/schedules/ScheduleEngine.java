package dev.tempora.internal.schedules;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowAlreadyStartedException;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowIdReusePolicy;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleActionResult;
import dev.tempora.client.schedules.ScheduleActionStartWorkflow;
import dev.tempora.client.schedules.ScheduleOverlapPolicy;
import dev.tempora.client.schedules.ScheduleState;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import dev.tempora.internal.history.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns firings into actions, the same on every backend (ADR 14): reads the schedule item,
 * brings its open actions up to date, applies pause, catch-up window, remaining actions and the
 * overlap policy, starts the action workflow idempotently (its id is the schedule id and the
 * scheduled time) and writes the item conditionally, re-reading and re-applying on a lost race.
 */
public final class ScheduleEngine {
  private static final Logger log = LoggerFactory.getLogger(ScheduleEngine.class);
  private static final Pattern ACTION_ID = Pattern.compile("^(.+)-(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)$");
  private static final int MAX_ATTEMPTS = 20;

  private final String namespace;
  private final ScheduleStore store;
  private final ScheduleTicker ticker;
  private final WorkflowService workflows;
  private final InstantSource clock;

  public ScheduleEngine(String namespace, ScheduleStore store, ScheduleTicker ticker, WorkflowService workflows,
      InstantSource clock) {
    this.namespace = namespace;
    this.store = store;
    this.ticker = ticker;
    this.workflows = workflows;
    this.clock = clock;
  }

  /** The workflow id of the action for {@code scheduledTime}: {@code {scheduleId}-2026-03-29T00:00:00Z}. */
  public static String actionWorkflowId(String scheduleId, Instant scheduledTime) {
    return scheduleId + "-" + scheduledTime.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The schedule id an action's workflow id names, if it has the shape of one. */
  public static Optional<String> scheduleIdOf(String workflowId) {
    Matcher m = ACTION_ID.matcher(workflowId);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private enum Kind { SCHEDULED, MANUAL }

  /** A firing of the spec at {@code scheduledTime}, of the definition's {@code generation}. */
  public void fire(String scheduleId, Instant scheduledTime, long generation) {
    apply(scheduleId, Kind.SCHEDULED, e -> {
      if (e.generation != generation) {
        return false; // a firing of an older definition
      }
      boolean older = e.handled.size() >= ScheduleItem.HANDLED && scheduledTime.isBefore(e.handled.first());
      if (older || !e.markHandled(scheduledTime)) {
        return false; // handled already (or so long ago that it is out of the record: taken as handled)
      }
      if (e.schedule.getState().isPaused()) {
        return true;
      }
      Duration late = Duration.between(scheduledTime, clock.instant());
      if (late.compareTo(e.schedule.getPolicy().getCatchupWindow()) > 0) {
        e.numMissed++;
        log.info("schedule {}: missed {} ({} late, beyond the catch-up window)", scheduleId, scheduledTime, late);
        return true;
      }
      take(e, scheduleId, scheduledTime, e.schedule.getPolicy().getOverlap());
      return true;
    });
  }

  /** Takes the action now ({@code overlap} null: the schedule's policy). */
  public void trigger(String scheduleId, ScheduleOverlapPolicy overlap) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    apply(scheduleId, Kind.MANUAL, e -> {
      take(e, scheduleId, now, overlap != null ? overlap : e.schedule.getPolicy().getOverlap());
      return true;
    });
  }

  /** Takes the action for each of {@code times} in order, without the catch-up window. */
  public void backfill(String scheduleId, List<Instant> times, ScheduleOverlapPolicy overlap) {
    for (Instant t : times) {
      apply(scheduleId, Kind.MANUAL, e -> {
        take(e, scheduleId, t, overlap != null ? overlap : e.schedule.getPolicy().getOverlap());
        return true;
      });
    }
  }

  /** An action's run closed: it no longer overlaps, and a buffered action may start. */
  public void runClosed(RunRecord record, WorkflowExecutionStatus status) {
    Optional<String> scheduleId = scheduleIdOf(record.run().workflowId());
    if (scheduleId.isEmpty()) {
      return;
    }
    WorkflowExecution closed = new WorkflowExecution(record.run().workflowId(), record.run().runId());
    apply(scheduleId.get(), Kind.MANUAL, e -> {
      if (!e.running.remove(closed)) {
        return false;
      }
      onClosed(e, closed, status);
      return true;
    });
  }

  /** A change of the item; false if there is nothing to write. */
  private interface Change {
    boolean apply(ScheduleItem.Edit e);
  }

  private void apply(String scheduleId, Kind kind, Change change) {
    for (int attempt = 1; ; attempt++) {
      Optional<ScheduleItem> found = store.get(namespace, scheduleId);
      if (found.isEmpty() || found.get().deleted()) {
        if (kind == Kind.SCHEDULED) {
          ticker.remove(namespace, scheduleId); // a firing of a deleted schedule: nothing may fire again
        }
        return;
      }
      ScheduleItem item = found.get();
      ScheduleItem.Edit e = item.edit();
      boolean changed = refreshRunning(e);
      changed |= change.apply(e);
      changed |= startBuffered(e, scheduleId);
      if (!changed) {
        return;
      }
      ScheduleItem next = e.build();
      try {
        store.update(next);
      } catch (ConcurrentUpdateException lost) {
        if (attempt >= MAX_ATTEMPTS) {
          throw lost;
        }
        continue; // re-read and re-apply: the starts are idempotent by workflow id
      }
      if (kind == Kind.SCHEDULED) {
        ticker.fired(next);
      }
      return;
    }
  }

  /** Takes out the actions whose runs have closed (the close notification may have been lost). */
  private boolean refreshRunning(ScheduleItem.Edit e) {
    boolean changed = false;
    for (Iterator<WorkflowExecution> it = e.running.iterator(); it.hasNext(); ) {
      WorkflowExecution x = it.next();
      WorkflowExecutionStatus status;
      try {
        RunRecord r = workflows.currentRun(x.workflowId());
        status = r.run().runId().equals(x.runId()) ? r.status() : WorkflowExecutionStatus.COMPLETED;
      } catch (WorkflowNotFoundException gone) {
        status = WorkflowExecutionStatus.COMPLETED;
      }
      if (status.isClosed()) {
        it.remove();
        onClosed(e, x, status);
        changed = true;
      }
    }
    return changed;
  }

  private static void onClosed(ScheduleItem.Edit e, WorkflowExecution x, WorkflowExecutionStatus status) {
    boolean failed = status == WorkflowExecutionStatus.FAILED || status == WorkflowExecutionStatus.TIMED_OUT;
    if (failed && e.schedule.getPolicy().isPauseOnFailure() && !e.schedule.getState().isPaused()) {
      e.schedule = withState(e.schedule, e.schedule.getState().toBuilder().setPaused(true)
          .setNote("paused: action " + x.workflowId() + " " + status.name().toLowerCase(Locale.ROOT)).build());
    }
  }

  private boolean startBuffered(ScheduleItem.Edit e, String scheduleId) {
    boolean changed = false;
    while (e.running.isEmpty() && !e.buffered.isEmpty() && !e.schedule.getState().isPaused()) {
      start(e, scheduleId, e.buffered.removeFirst());
      changed = true;
    }
    return changed;
  }

  /** The overlap policy decides what an action due at {@code t} does while others are open. */
  private void take(ScheduleItem.Edit e, String scheduleId, Instant t, ScheduleOverlapPolicy overlap) {
    ScheduleState state = e.schedule.getState();
    if (state.isLimitedAction() && state.getRemainingActions() <= 0) {
      return;
    }
    startBuffered(e, scheduleId);
    if (e.running.isEmpty() && e.buffered.isEmpty()) {
      start(e, scheduleId, t);
      return;
    }
    switch (overlap) {
      case SKIP -> e.numSkipped++;
      case BUFFER_ONE -> {
        if (e.buffered.isEmpty()) {
          e.buffered.add(t);
        } else {
          e.numBufferDropped++;
        }
      }
      case BUFFER_ALL -> e.buffered.add(t);
      case CANCEL_OTHER -> {
        for (WorkflowExecution x : e.running) {
          try {
            workflows.cancel(x.workflowId());
          } catch (WorkflowNotFoundException closed) {
            // closed meanwhile
          }
        }
        e.buffered.clear();
        e.buffered.add(t);
      }
      case TERMINATE_OTHER -> {
        for (WorkflowExecution x : e.running) {
          try {
            workflows.terminate(x.workflowId(), "terminated by schedule " + scheduleId + " (overlap policy TERMINATE_OTHER)");
          } catch (WorkflowNotFoundException closed) {
            // closed meanwhile
          }
        }
        e.running.clear();
        start(e, scheduleId, t);
      }
      case ALLOW_ALL -> start(e, scheduleId, t);
    }
  }

  /** Starts the action for {@code t}; a start already made (a repeat of this firing) adds nothing. */
  private void start(ScheduleItem.Edit e, String scheduleId, Instant t) {
    ScheduleActionStartWorkflow action = e.schedule.getAction();
    String workflowId = actionWorkflowId(scheduleId, t);
    Instant now = clock.instant();
    WorkflowExecution started;
    boolean open = true;
    try {
      started = workflows.startRun(workflowId, action.getWorkflowType(), action.getOptions().getTaskQueue(),
          action.getInput(), WorkflowIdReusePolicy.REJECT_DUPLICATE).execution();
    } catch (WorkflowAlreadyStartedException taken) {
      // Acted on before and closed since: by an attempt whose item write was lost (then it is
      // recorded now), or long ago (a backfill over old times; nothing new starts).
      started = taken.getExisting();
      open = false;
    } catch (InvalidRequestException refused) {
      log.warn("schedule {}: action for {} refused: {}", scheduleId, t, refused.getMessage());
      e.addRecent(new ScheduleActionResult(t, now, null, refused.getMessage()));
      return;
    }
    if (open && !e.running.contains(started)) {
      e.running.add(started);
    }
    WorkflowExecution recorded = started;
    if (e.recent.stream().noneMatch(r -> recorded.equals(r.action()))) {
      e.addRecent(new ScheduleActionResult(t, now, recorded, null));
      e.numActions++;
      ScheduleState state = e.schedule.getState();
      if (state.isLimitedAction()) {
        e.schedule = withState(e.schedule, state.toBuilder().setRemainingActions(state.getRemainingActions() - 1).build());
      }
    }
  }

  static Schedule withState(Schedule s, ScheduleState state) {
    return s.toBuilder().setState(state).build();
  }
}
