package dev.tempora.testing;

/**
 * Counters of the test environment's coordinator: workflow tasks run, full replays (runner cache
 * misses that replayed the whole history), cache hits/misses/evictions, history batches read.
 */
public record EngineStats(
    long workflowTasks, long fullReplays, long cacheHits, long cacheMisses, long cacheEvictions,
    long historyBatchesRead, long historyBatchesWritten, int cachedRunners) {}
