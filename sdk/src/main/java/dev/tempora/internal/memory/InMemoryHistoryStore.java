package dev.tempora.internal.memory;

import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import dev.tempora.internal.coordinator.HistoryStore;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The history store in maps, with the same conditional semantics as the DynamoDB one. */
public final class InMemoryHistoryStore implements HistoryStore {
  private final Map<String, RunKey> currentRuns = new HashMap<>();
  private final Map<RunKey, RunRecord> runs = new HashMap<>();
  private final Map<RunKey, List<HistoryBatch>> histories = new HashMap<>();
  private final AtomicLong batchesRead = new AtomicLong();
  private final AtomicLong batchesWritten = new AtomicLong();

  @Override
  public synchronized Optional<RunRecord> currentRun(String namespace, String workflowId) {
    RunKey k = currentRuns.get(namespace + "#" + workflowId);
    return k == null ? Optional.empty() : Optional.of(runs.get(k));
  }

  @Override
  public synchronized Optional<RunRecord> getRun(RunKey run) {
    return Optional.ofNullable(runs.get(run));
  }

  @Override
  public synchronized void createRun(RunRecord record, String expectedCurrentRunId) {
    RunKey current = currentRuns.get(record.run().workflowKey());
    String currentId = current == null ? null : current.runId();
    if (!Objects.equals(currentId, expectedCurrentRunId)) {
      throw new ConcurrentUpdateException("current run of " + record.run().workflowKey() + " is " + currentId
          + ", expected " + expectedCurrentRunId);
    }
    currentRuns.put(record.run().workflowKey(), record.run());
    runs.put(record.run(), record);
    histories.put(record.run(), new ArrayList<>());
  }

  @Override
  public synchronized void updateRun(RunRecord record) {
    if (!runs.containsKey(record.run())) {
      throw new IllegalArgumentException("no run " + record.run());
    }
    runs.put(record.run(), record);
  }

  @Override
  public synchronized List<HistoryBatch> readHistory(RunKey run, int afterSeq) {
    List<HistoryBatch> all = histories.getOrDefault(run, List.of());
    List<HistoryBatch> out = afterSeq >= all.size() ? List.of() : List.copyOf(all.subList(afterSeq, all.size()));
    batchesRead.addAndGet(out.size());
    return out;
  }

  @Override
  public synchronized Optional<HistoryBatch> readBatch(RunKey run, int seq) {
    List<HistoryBatch> all = histories.getOrDefault(run, List.of());
    if (seq < 1 || seq > all.size()) {
      return Optional.empty();
    }
    batchesRead.incrementAndGet();
    return Optional.of(all.get(seq - 1));
  }

  @Override
  public synchronized Optional<HistoryBatch> readLastBatch(RunKey run) {
    return readBatch(run, histories.getOrDefault(run, List.of()).size());
  }

  @Override
  public synchronized void appendBatch(RunKey run, HistoryBatch batch) {
    List<HistoryBatch> all = histories.get(run);
    if (all == null) {
      throw new IllegalArgumentException("no run " + run);
    }
    if (batch.seq() != all.size() + 1) {
      throw new ConcurrentUpdateException("batch " + batch.seq() + " of " + run + " already exists or is out of order ("
          + all.size() + " stored)");
    }
    all.add(batch);
    batchesWritten.incrementAndGet();
  }

  @Override
  public synchronized List<RunRecord> listRuns(String namespace, ListExecutionsRequest q) {
    return runs.values().stream()
        .filter(r -> r.run().namespace().equals(namespace))
        .filter(r -> q.status() == null || r.status() == q.status())
        .filter(r -> q.workflowType() == null || r.workflowType().equals(q.workflowType()))
        .filter(r -> q.startedAfter() == null || !r.startTime().isBefore(q.startedAfter()))
        .filter(r -> q.startedBefore() == null || r.startTime().isBefore(q.startedBefore()))
        .sorted(Comparator.comparing(RunRecord::startTime).reversed().thenComparing(r -> r.run().workflowId()))
        .limit(q.limit())
        .toList();
  }

  public long batchesRead() {
    return batchesRead.get();
  }

  public long batchesWritten() {
    return batchesWritten.get();
  }
}
