package dev.tempora.internal.coordinator;

import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.replay.WorkflowRunner;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live runners of a warm coordinator, least recently used evicted first. A runner is taken out
 * while a task or query uses it, so two users never share one; an evicted runner's threads end.
 */
public final class RunnerCache {
  private final int capacity;
  private final LinkedHashMap<RunKey, WorkflowRunner> runners = new LinkedHashMap<>(16, 0.75f, true);
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();

  public RunnerCache(int capacity) {
    this.capacity = capacity;
  }

  /** Removes and returns the run's runner, or null (a miss). */
  public WorkflowRunner take(RunKey run) {
    WorkflowRunner r;
    synchronized (runners) {
      r = runners.remove(run);
    }
    (r == null ? misses : hits).incrementAndGet();
    return r;
  }

  public void put(WorkflowRunner runner) {
    if (capacity <= 0) {
      runner.close();
      return;
    }
    WorkflowRunner evicted = null;
    WorkflowRunner replaced;
    synchronized (runners) {
      replaced = runners.put(runner.run(), runner);
      if (runners.size() > capacity) {
        Map.Entry<RunKey, WorkflowRunner> eldest = runners.entrySet().iterator().next();
        runners.remove(eldest.getKey());
        evicted = eldest.getValue();
      }
    }
    if (replaced != null && replaced != runner) {
      replaced.close();
    }
    if (evicted != null) {
      evictions.incrementAndGet();
      evicted.close();
    }
  }

  public void invalidate(RunKey run) {
    WorkflowRunner r;
    synchronized (runners) {
      r = runners.remove(run);
    }
    if (r != null) {
      r.close();
    }
  }

  public void invalidateAll() {
    java.util.List<WorkflowRunner> all;
    synchronized (runners) {
      all = java.util.List.copyOf(runners.values());
      runners.clear();
    }
    all.forEach(WorkflowRunner::close);
  }

  public int size() {
    synchronized (runners) {
      return runners.size();
    }
  }

  public long hits() { return hits.get(); }
  public long misses() { return misses.get(); }
  public long evictions() { return evictions.get(); }
}
