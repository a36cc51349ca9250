package dev.tempora.internal.testing;

import dev.tempora.internal.coordinator.WorkflowTaskProcessor;
import dev.tempora.testing.EngineStats;

/** {@link EngineStats} from a coordinator's counters and its store's batch counts, for every backend. */
public final class EngineCounters {
  private EngineCounters() {}

  public static EngineStats of(WorkflowTaskProcessor processor, long batchesRead, long batchesWritten) {
    var cache = processor.cache();
    return new EngineStats(processor.workflowTasks(), processor.fullReplays(), cache.hits(), cache.misses(),
        cache.evictions(), batchesRead, batchesWritten, cache.size());
  }
}
