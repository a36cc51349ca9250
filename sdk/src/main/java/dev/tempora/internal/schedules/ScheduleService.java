package dev.tempora.internal.schedules;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleActionStartWorkflow;
import dev.tempora.client.schedules.ScheduleAlreadyRunningException;
import dev.tempora.client.schedules.ScheduleBackfill;
import dev.tempora.client.schedules.ScheduleDescription;
import dev.tempora.client.schedules.ScheduleInfo;
import dev.tempora.client.schedules.ScheduleListDescription;
import dev.tempora.client.schedules.ScheduleNotFoundException;
import dev.tempora.client.schedules.ScheduleOptions;
import dev.tempora.client.schedules.ScheduleOverlapPolicy;
import dev.tempora.client.schedules.ScheduleState;
import dev.tempora.internal.client.RequestValidator;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import dev.tempora.internal.history.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The schedule operations of every client (Java, HTTP API, CLI): each request is validated before
 * anything is written; the item is written first, then the ticker (the Scheduler schedule on
 * AWS), then the item is marked synced. An item found unsynced (a crash between the two writes)
 * is synced again by the next operation on it, and one marked deleted is deleted (ADR 14).
 */
public final class ScheduleService {
  public static final int MAX_SCHEDULE_ID_LENGTH = 200;
  public static final Duration MIN_CATCHUP_WINDOW = Duration.ofSeconds(10);
  /** The most firings one backfill request may act on. */
  public static final int MAX_BACKFILL_ACTIONS = 10_000;
  private static final int NEXT_TIMES = 10;

  private final String namespace;
  private final ScheduleStore store;
  private final ScheduleTicker ticker;
  private final ScheduleEngine engine;
  private final WorkflowService workflows;
  private final RequestValidator validator;
  private final InstantSource clock;
  private volatile Runnable afterItemWrite = () -> { };

  public ScheduleService(String namespace, ScheduleStore store, ScheduleTicker ticker, ScheduleEngine engine,
      WorkflowService workflows, RequestValidator validator, InstantSource clock) {
    this.namespace = namespace;
    this.store = store;
    this.ticker = ticker;
    this.engine = engine;
    this.workflows = workflows;
    this.validator = validator;
    this.clock = clock;
  }

  /** Fault hook for tests: runs between the item write and the ticker write (a crash there). */
  public void afterItemWrite(Runnable hook) {
    this.afterItemWrite = hook == null ? () -> { } : hook;
  }

  public ScheduleEngine engine() {
    return engine;
  }

  // ---- validation -------------------------------------------------------------------------

  public static String scheduleId(String id) {
    if (id == null || id.isBlank() || id.length() > MAX_SCHEDULE_ID_LENGTH) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_SCHEDULE_ID,
          "a schedule id must be 1-" + MAX_SCHEDULE_ID_LENGTH + " characters, not blank");
    }
    try {
      RequestValidator.workflowId(id);
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_SCHEDULE_ID, e.getDetail());
    }
    return id;
  }

  /** Everything a schedule needs to run; returns its compiled spec. */
  public CompiledSpec validate(String scheduleId, Schedule s) {
    scheduleId(scheduleId);
    if (s == null || s.getAction() == null || s.getSpec() == null) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_SCHEDULE, "a schedule needs an action and a spec");
    }
    ScheduleActionStartWorkflow a = s.getAction();
    if (a.getWorkflowType() == null || a.getOptions() == null) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_SCHEDULE, "the action needs a workflow type");
    }
    CompiledSpec spec = CompiledSpec.compile(s.getSpec());
    validator.start(ScheduleEngine.actionWorkflowId(scheduleId, clock.instant()), a.getWorkflowType(),
        a.getOptions().getTaskQueue(), a.getInput());
    if (s.getPolicy().getCatchupWindow().compareTo(MIN_CATCHUP_WINDOW) < 0) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_DURATION,
          "catchupWindow " + s.getPolicy().getCatchupWindow() + " is under " + MIN_CATCHUP_WINDOW);
    }
    if (s.getState().isLimitedAction() && s.getState().getRemainingActions() < 0) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_SCHEDULE, "remainingActions is negative");
    }
    return spec;
  }

  // ---- operations -------------------------------------------------------------------------

  public void create(String scheduleId, Schedule schedule, ScheduleOptions options) {
    CompiledSpec spec = validate(scheduleId, schedule);
    List<List<Instant>> backfills = new ArrayList<>();
    for (ScheduleBackfill b : options.getBackfills()) {
      backfills.add(backfillTimes(spec, b)); // all checked before anything is written
    }
    ScheduleItem item = ScheduleItem.created(namespace, scheduleId, schedule, clock.instant());
    try {
      store.create(item);
    } catch (ConcurrentUpdateException exists) {
      ScheduleItem old = store.get(namespace, scheduleId).orElse(null);
      if (old != null && old.deleted()) {
        finishDelete(old);
        create(scheduleId, schedule, options);
        return;
      }
      throw new ScheduleAlreadyRunningException(scheduleId);
    }
    afterItemWrite.run();
    sync(item);
    if (options.isTriggerImmediately()) {
      engine.trigger(scheduleId, null);
    }
    for (int i = 0; i < backfills.size(); i++) {
      engine.backfill(scheduleId, backfills.get(i), options.getBackfills().get(i).overlapPolicy());
    }
  }

  public ScheduleDescription describe(String scheduleId) {
    ScheduleItem item = current(scheduleId);
    CompiledSpec spec = CompiledSpec.compile(item.schedule().getSpec());
    List<WorkflowExecution> running = item.running().stream().filter(this::open).toList();
    ScheduleInfo info = new ScheduleInfo(item.numActions(), item.numSkipped(), item.numBufferDropped(), item.numMissed(),
        item.buffered().size(), running, item.recent(), nextTimes(item, spec), item.createdAt(), item.updatedAt());
    return new ScheduleDescription(scheduleId, item.schedule(), info);
  }

  private List<Instant> nextTimes(ScheduleItem item, CompiledSpec spec) {
    if (item.schedule().getState().isPaused()) {
      return List.of();
    }
    Instant from = clock.instant();
    if (item.lastFired() != null && item.lastFired().isAfter(from)) {
      from = item.lastFired();
    }
    return spec.next(from, NEXT_TIMES);
  }

  private boolean open(WorkflowExecution x) {
    try {
      RunRecord r = workflows.currentRun(x.workflowId());
      return r.run().runId().equals(x.runId()) && !r.status().isClosed();
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }

  public List<ScheduleListDescription> list() {
    List<ScheduleListDescription> out = new ArrayList<>();
    for (ScheduleItem item : store.list(namespace)) {
      if (item.deleted()) {
        continue;
      }
      ScheduleState st = item.schedule().getState();
      out.add(new ScheduleListDescription(item.scheduleId(), item.schedule().getAction().getWorkflowType(),
          st.isPaused(), st.getNote(), nextTimes(item, CompiledSpec.compile(item.schedule().getSpec()))));
    }
    return out;
  }

  public void update(String scheduleId, Function<ScheduleDescription, Schedule> updater) {
    while (true) {
      ScheduleDescription d = describe(scheduleId);
      ScheduleItem item = current(scheduleId);
      Schedule next = updater.apply(d);
      validate(scheduleId, next);
      ScheduleItem.Edit e = item.edit();
      e.schedule = next;
      e.generation++;
      e.updatedAt = clock.instant();
      ScheduleItem written = e.build();
      try {
        store.update(written);
      } catch (ConcurrentUpdateException raced) {
        continue;
      }
      afterItemWrite.run();
      sync(written);
      return;
    }
  }

  public void pause(String scheduleId, String note) {
    setState(scheduleId, s -> s.toBuilder().setPaused(true).setNote(note).build());
  }

  public void unpause(String scheduleId, String note) {
    setState(scheduleId, s -> s.toBuilder().setPaused(false).setNote(note).build());
  }

  /** Pause and unpause change only the item: firings of a paused schedule do nothing (no Scheduler write to lose). */
  private void setState(String scheduleId, UnaryOperator<ScheduleState> change) {
    while (true) {
      ScheduleItem item = current(scheduleId);
      ScheduleItem.Edit e = item.edit();
      e.schedule = ScheduleEngine.withState(item.schedule(), change.apply(item.schedule().getState()));
      e.updatedAt = clock.instant();
      try {
        store.update(e.build());
      } catch (ConcurrentUpdateException raced) {
        continue;
      }
      afterItemWrite.run();
      return;
    }
  }

  public void trigger(String scheduleId, ScheduleOverlapPolicy overlap) {
    current(scheduleId);
    engine.trigger(scheduleId, overlap);
  }

  public void backfill(String scheduleId, List<ScheduleBackfill> backfills) {
    ScheduleItem item = current(scheduleId);
    CompiledSpec spec = CompiledSpec.compile(item.schedule().getSpec());
    List<List<Instant>> times = new ArrayList<>();
    for (ScheduleBackfill b : backfills) {
      times.add(backfillTimes(spec, b)); // all validated before any is acted on
    }
    for (int i = 0; i < backfills.size(); i++) {
      engine.backfill(scheduleId, times.get(i), backfills.get(i).overlapPolicy());
    }
  }

  private static List<Instant> backfillTimes(CompiledSpec spec, ScheduleBackfill b) {
    if (b == null || b.startAt() == null || b.endAt() == null || !b.endAt().isAfter(b.startAt())) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_SCHEDULE,
          "a backfill needs a startAt before its endAt");
    }
    List<Instant> times = spec.between(b.startAt().minusNanos(1), b.endAt().minusNanos(1), MAX_BACKFILL_ACTIONS + 1);
    if (times.size() > MAX_BACKFILL_ACTIONS) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_SCHEDULE, "backfill " + b.startAt() + " to "
          + b.endAt() + " has more than " + MAX_BACKFILL_ACTIONS + " fire times; split it");
    }
    return times;
  }

  /** Marks the item deleted, removes the ticker, then deletes the item: a crash leaves a marked item the next call finishes. */
  public void delete(String scheduleId) {
    while (true) {
      ScheduleItem item = current(scheduleId);
      ScheduleItem.Edit e = item.edit();
      e.deleted = true;
      e.generation++;
      e.updatedAt = clock.instant();
      ScheduleItem marked = e.build();
      try {
        store.update(marked);
      } catch (ConcurrentUpdateException raced) {
        continue;
      }
      afterItemWrite.run();
      finishDelete(marked);
      return;
    }
  }

  private void finishDelete(ScheduleItem marked) {
    ticker.remove(namespace, marked.scheduleId());
    try {
      store.delete(namespace, marked.scheduleId(), marked.version());
    } catch (ConcurrentUpdateException raced) {
      // a firing wrote it meanwhile (it saw the mark and did nothing): delete what is there
      store.get(namespace, marked.scheduleId()).filter(ScheduleItem::deleted)
          .ifPresent(i -> store.delete(namespace, i.scheduleId(), i.version()));
    }
  }

  /** The item, repaired if a crash left it half-written; not found if it is (being) deleted. */
  private ScheduleItem current(String scheduleId) {
    scheduleId(scheduleId);
    ScheduleItem item = store.get(namespace, scheduleId).orElseThrow(() -> new ScheduleNotFoundException(scheduleId));
    if (item.deleted()) {
      finishDelete(item);
      throw new ScheduleNotFoundException(scheduleId);
    }
    if (item.syncedGeneration() < item.generation()) {
      item = sync(item);
    }
    return item;
  }

  /** Writes the ticker for the item's generation, then records that it did (best effort: a lost race re-syncs later). */
  private ScheduleItem sync(ScheduleItem item) {
    ticker.sync(item);
    ScheduleItem.Edit e = item.edit();
    e.syncedGeneration = item.generation();
    ScheduleItem synced = e.build();
    try {
      store.update(synced);
      return synced;
    } catch (ConcurrentUpdateException raced) {
      return store.get(namespace, item.scheduleId()).orElse(item);
    }
  }

  /** Repairs every schedule a crash left half-written (the runtime calls it at start, the AWS tick per schedule). */
  public void repairAll() {
    for (ScheduleItem item : store.list(namespace)) {
      if (item.deleted()) {
        finishDelete(item);
      } else if (item.syncedGeneration() < item.generation()) {
        sync(item);
      }
    }
  }
}
