package dev.tempora.internal.schedules;

import dev.tempora.internal.memory.InMemoryEngine;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * In memory, a schedule's next firing is an engine timer at its next fire time (plus jitter) on
 * the virtual clock; each firing arms the next one.
 */
public final class InMemoryScheduleTicker implements ScheduleTicker {
  private final InMemoryEngine engine;
  private final InstantSource clock;
  private final Supplier<ScheduleEngine> schedules;
  /** The armed timer of each schedule. */
  private final Map<String, String> armed = new HashMap<>();
  private long armings;

  public InMemoryScheduleTicker(InMemoryEngine engine, InstantSource clock, Supplier<ScheduleEngine> schedules) {
    this.engine = engine;
    this.clock = clock;
    this.schedules = schedules;
  }

  @Override
  public void sync(ScheduleItem item) {
    Instant from = clock.instant();
    if (item.lastFired() != null && item.lastFired().isAfter(from)) {
      from = item.lastFired();
    }
    arm(item, from);
  }

  @Override
  public void fired(ScheduleItem item) {
    arm(item, item.lastFired() != null ? item.lastFired() : clock.instant());
  }

  private synchronized void arm(ScheduleItem item, Instant after) {
    String key = item.namespace() + "/" + item.scheduleId();
    String old = armed.remove(key);
    if (old != null) {
      engine.cancel(old, null);
    }
    if (item.deleted()) {
      return;
    }
    CompiledSpec spec = CompiledSpec.compile(item.schedule().getSpec());
    Optional<Instant> next = spec.next(after);
    if (next.isEmpty()) {
      return;
    }
    Instant t = next.get();
    long generation = item.generation();
    // Unique per arming: a cancelled timer id can never be scheduled again.
    String id = "schedule/" + key + "/" + generation + "/" + t + "/" + (++armings);
    armed.put(key, id);
    engine.scheduleTask(id, t.plus(spec.jitterFor(item.scheduleId(), t)),
        () -> schedules.get().fire(item.scheduleId(), t, generation));
  }

  @Override
  public synchronized void remove(String namespace, String scheduleId) {
    String old = armed.remove(namespace + "/" + scheduleId);
    if (old != null) {
      engine.cancel(old, null);
    }
  }
}
