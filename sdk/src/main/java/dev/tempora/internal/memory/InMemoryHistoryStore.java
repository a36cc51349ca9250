package dev.tempora.internal.memory;

import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.internal.visibility.PageToken;
import dev.tempora.internal.visibility.QueryPlan;
import dev.tempora.internal.visibility.RowFilter;
import dev.tempora.internal.visibility.VisibilityPage;
import dev.tempora.internal.visibility.VisibilityRow;
import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import dev.tempora.internal.coordinator.HistoryStore;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.ParkedTask;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.StoredHistory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** The history store in maps, with the same conditional semantics as the DynamoDB one. */
public final class InMemoryHistoryStore implements HistoryStore {
  private final Map<String, RunKey> currentRuns = new HashMap<>();
  private final Map<RunKey, RunRecord> runs = new HashMap<>();
  private final Map<RunKey, List<HistoryBatch>> histories = new HashMap<>();
  /** The parked task of a run; it sits in the slot after the run's last batch. */
  private final Map<RunKey, ParkedTask> parked = new HashMap<>();
  private final Map<RunKey, ParkedTask> failures = new HashMap<>();
  private final Map<String, FailureInfo> updateRejections = new HashMap<>();
  /** A run's current search attributes and the event id of the last upsert applied. */
  private record AppliedAttributes(long eventId, Map<String, SearchAttributeValue> values) {}

  private final Map<RunKey, AppliedAttributes> searchAttributes = new HashMap<>();
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
    if (record.startEvent() != null && !record.startEvent().startOptions().searchAttributes().isEmpty()) {
      searchAttributes.put(record.run(), new AppliedAttributes(0, record.startEvent().startOptions().searchAttributes()));
    }
  }

  @Override
  public synchronized void updateRun(RunRecord record) {
    if (!runs.containsKey(record.run())) {
      throw new IllegalArgumentException("no run " + record.run());
    }
    runs.put(record.run(), record);
    if (record.taskFailure() == null) {
      failures.remove(record.run());
    }
  }

  @Override
  public synchronized void closeRun(RunRecord closed) {
    RunRecord current = runs.get(closed.run());
    if (current != null && !current.status().isClosed()) {
      updateRun(closed);
    }
  }

  @Override
  public synchronized StoredHistory read(RunKey run, int afterSeq) {
    List<HistoryBatch> all = histories.getOrDefault(run, List.of());
    List<HistoryBatch> out = afterSeq >= all.size() ? List.of() : List.copyOf(all.subList(afterSeq, all.size()));
    batchesRead.addAndGet(out.size());
    return new StoredHistory(out, parked.get(run));
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
  public synchronized void appendBatch(RunKey run, HistoryBatch batch, String replacingParkId) {
    List<HistoryBatch> all = histories.get(run);
    if (all == null) {
      throw new IllegalArgumentException("no run " + run);
    }
    requireSlot(run, all, batch.seq(), replacingParkId);
    parked.remove(run);
    all.add(batch);
    batchesWritten.incrementAndGet();
  }

  @Override
  public synchronized void appendBatchStartingRun(RunKey run, HistoryBatch batch, String replacingParkId,
      RunRecord next) {
    List<HistoryBatch> all = histories.get(run);
    if (all == null) {
      throw new IllegalArgumentException("no run " + run);
    }
    requireSlot(run, all, batch.seq(), replacingParkId);
    if (!run.equals(currentRuns.get(run.workflowKey())) || runs.containsKey(next.run())) {
      throw new ConcurrentUpdateException("current run of " + run.workflowKey() + " is no longer " + run.runId()
          + " (or run " + next.run().runId() + " exists)");
    }
    appendBatch(run, batch, replacingParkId);
    createRun(next, run.runId());
  }

  @Override
  public synchronized ParkedTask park(RunKey run, ParkedTask task, String replacingParkId) {
    List<HistoryBatch> all = histories.get(run);
    if (all == null) {
      throw new IllegalArgumentException("no run " + run);
    }
    requireSlot(run, all, task.seq(), replacingParkId);
    ParkedTask stored = task.withId(UUID.randomUUID().toString());
    parked.put(run, stored);
    return stored;
  }

  /** The slot is the next one, and free or holding exactly the parked version the caller read. */
  private void requireSlot(RunKey run, List<HistoryBatch> all, int seq, String replacingParkId) {
    ParkedTask there = parked.get(run);
    if (seq != all.size() + 1) {
      throw new ConcurrentUpdateException("batch " + seq + " of " + run + " already exists or is out of order ("
          + all.size() + " stored)");
    }
    if (there != null && !there.id().equals(replacingParkId)) {
      throw new ConcurrentUpdateException("slot " + seq + " of " + run + " holds a parked task");
    }
  }

  @Override
  public synchronized Optional<ParkedTask> readParked(RunKey run, int seq) {
    ParkedTask p = parked.get(run);
    return p != null && p.seq() == seq ? Optional.of(p) : Optional.empty();
  }

  @Override
  public synchronized void setTaskFailure(RunKey run, ParkedTask task) {
    RunRecord r = runs.get(run);
    if (r == null || r.status().isClosed()) {
      return;
    }
    runs.put(run, r.withTaskFailure(task == null ? null : task.reason()));
    if (task == null) {
      failures.remove(run);
    } else {
      failures.put(run, task);
    }
  }

  @Override
  public synchronized List<RunKey> parkedRuns(String namespace, String exceptDeployment) {
    return failures.entrySet().stream()
        .filter(e -> e.getKey().namespace().equals(namespace))
        .filter(e -> !runs.get(e.getKey()).status().isClosed())
        .filter(e -> exceptDeployment == null || !exceptDeployment.equals(e.getValue().deployment()))
        .map(Map.Entry::getKey)
        .sorted(Comparator.comparing(RunKey::toString))
        .toList();
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

  @Override
  public synchronized void upsertSearchAttributes(RunKey run, Map<String, SearchAttributeValue> changes, long eventId) {
    if (!runs.containsKey(run)) {
      return;
    }
    AppliedAttributes now = searchAttributes.getOrDefault(run, new AppliedAttributes(0, Map.of()));
    if (eventId <= now.eventId()) {
      return;
    }
    Map<String, SearchAttributeValue> next = new TreeMap<>(now.values());
    changes.forEach((k, v) -> {
      if (v.isUnset()) {
        next.remove(k);
      } else {
        next.put(k, v);
      }
    });
    searchAttributes.put(run, new AppliedAttributes(eventId, Map.copyOf(next)));
  }

  @Override
  public synchronized VisibilityPage queryRuns(String namespace, QueryPlan plan, PageToken after, int pageSize) {
    if (plan.empty()) {
      return new VisibilityPage(List.of(), null);
    }
    List<VisibilityRow> matching = runs.values().stream()
        .filter(r -> r.run().namespace().equals(namespace))
        .filter(r -> plan.workflowId() == null || r.run().workflowId().equals(plan.workflowId()))
        .filter(r -> plan.statuses().contains(r.status()))
        .map(r -> new VisibilityRow(r, searchAttributes.getOrDefault(r.run(), NO_ATTRIBUTES).values()))
        .filter(row -> RowFilter.matches(plan.query().filter(), row))
        .toList();
    return VisibilityPage.of(matching, plan.ascending(), after, pageSize);
  }

  private static final AppliedAttributes NO_ATTRIBUTES = new AppliedAttributes(0, Map.of());

  public long batchesRead() {
    return batchesRead.get();
  }

  public long batchesWritten() {
    return batchesWritten.get();
  }

  @Override
  public synchronized void putUpdateRejection(RunKey run, String updateId, FailureInfo failure) {
    updateRejections.put(run.runId() + "/" + updateId, failure);
  }

  @Override
  public synchronized Optional<FailureInfo> readUpdateRejection(RunKey run, String updateId) {
    return Optional.ofNullable(updateRejections.get(run.runId() + "/" + updateId));
  }
}
