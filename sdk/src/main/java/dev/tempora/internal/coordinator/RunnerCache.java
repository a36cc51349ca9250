package dev.tempora.internal.coordinator;

import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.replay.WorkflowRunner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live runners of a warm coordinator, least recently used evicted first. A runner is taken out
 * while a task or query uses it, so two users never share one; an evicted runner's threads end.
 *
 * <p>{@link #invalidateAll()} also reaches runners that are out: a task that took (or made) its
 * runner before the eviction puts it back after its batch is visible, so {@link #put} closes a
 * runner whose {@link #generation()} is older than the last eviction instead of caching it.
 */
public final class RunnerCache {
  private final int capacity;
  private final LinkedHashMap<RunKey, WorkflowRunner> runners = new LinkedHashMap<>(16, 0.75f, true);
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  /** Bumped by {@link #invalidateAll()}; guarded by {@code runners}. */
  private long generation;

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

  /**
   * The eviction generation: read it before taking or making a runner and hand it to {@link
   * #put(WorkflowRunner, long)}, so that an eviction in between is not undone.
   */
  public long generation() {
    synchronized (runners) {
      return generation;
    }
  }

  /** Puts back a runner taken or made in the current generation (no eviction can have happened since). */
  public void put(WorkflowRunner runner) {
    put(runner, generation());
  }

  /**
   * Puts back a runner taken or made when {@link #generation()} was {@code since}; closes it
   * instead if {@link #invalidateAll()} ran meanwhile.
   */
  public void put(WorkflowRunner runner, long since) {
    if (capacity <= 0) {
      runner.close();
      return;
    }
    WorkflowRunner evicted = null;
    WorkflowRunner replaced;
    synchronized (runners) {
      if (since != generation) {
        replaced = runner;
      } else {
        replaced = runners.put(runner.run(), runner);
        if (runners.size() > capacity) {
          Map.Entry<RunKey, WorkflowRunner> eldest = runners.entrySet().iterator().next();
          runners.remove(eldest.getKey());
          evicted = eldest.getValue();
        }
      }
    }
    if (replaced == runner) {
      // Evicted while it was out.
      runner.close();
    } else if (replaced != null) {
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
    List<WorkflowRunner> all;
    synchronized (runners) {
      generation++;
      all = List.copyOf(runners.values());
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
