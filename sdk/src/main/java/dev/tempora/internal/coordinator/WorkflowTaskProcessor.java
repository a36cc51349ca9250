package dev.tempora.internal.coordinator;

import dev.tempora.history.Payload;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.replay.PotentialDeadlockException;
import dev.tempora.internal.replay.WorkflowImplementation;
import dev.tempora.internal.replay.WorkflowRunner;
import dev.tempora.internal.replay.WorkflowTaskFailedException;
import dev.tempora.workflow.NonDeterministicWorkflowError;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workflow task: load history (or take a warm runner and read only newer batches), replay,
 * decide on the new messages, commit the batch with one conditional append, dispatch its outbox.
 * The same class runs in the coordinator Lambda and in the in-memory test environment.
 */
public final class WorkflowTaskProcessor {
  private static final Logger log = LoggerFactory.getLogger(WorkflowTaskProcessor.class);

  private final HistoryStore store;
  private final WorkflowRegistry registry;
  private final RunnerCache cache;
  private final Outbox outbox;
  private final InstantSource clock;
  private final WorkflowTaskHooks hooks;
  private final long deadlockMillis;
  private final AtomicLong tasks = new AtomicLong();
  private final AtomicLong fullReplays = new AtomicLong();

  public WorkflowTaskProcessor(HistoryStore store, WorkflowRegistry registry, RunnerCache cache, Outbox outbox,
      InstantSource clock, WorkflowTaskHooks hooks, long deadlockMillis) {
    this.store = store;
    this.registry = registry;
    this.cache = cache;
    this.outbox = outbox;
    this.clock = clock;
    this.hooks = hooks;
    this.deadlockMillis = deadlockMillis;
  }

  /**
   * Processes one workflow's messages (in order; possibly for several runs).
   *
   * @throws WorkflowTaskFailure when the code cannot handle them: keep the messages for later
   * @throws RuntimeException on anything transient (a lost race, a store error): redeliver them
   */
  public void process(List<WorkflowTaskMessage> messages) {
    Map<RunKey, List<WorkflowTaskMessage>> byRun = new LinkedHashMap<>();
    for (WorkflowTaskMessage m : messages) {
      byRun.computeIfAbsent(m.run(), k -> new ArrayList<>()).add(m);
    }
    byRun.forEach(this::processRun);
  }

  private void processRun(RunKey key, List<WorkflowTaskMessage> messages) {
    long startNanos = System.nanoTime();
    WorkflowRunner warm = cache.take(key);
    if (warm != null) {
      try {
        // The hot path: a warm runner decides and commits without reading the run or the history.
        // The conditional append is the check that nothing happened meanwhile (another coordinator's
        // batch, a terminate): if it fails, the runner is stale and the task starts over from the store.
        decideAndCommit(warm.record(), warm, messages, startNanos);
        return;
      } catch (ConcurrentUpdateException stale) {
        log.debug("warm runner of {} was stale; reading the history", key);
      }
    }
    RunRecord record = store.getRun(key).orElse(null);
    if (record == null) {
      log.warn("dropping {} message(s) for unknown run {}", messages.size(), key);
      return;
    }
    if (record.status().isClosed()) {
      cache.invalidate(key);
      return;
    }
    WorkflowRunner runner;
    try {
      runner = prepare(record, null); // no warm runner here (or a stale one, discarded): replay in full
    } catch (NonDeterministicWorkflowError | WorkflowTaskFailedException | PotentialDeadlockException e) {
      throw failTask(record, e);
    }
    decideAndCommit(record, runner, messages, startNanos);
  }

  /**
   * Decides on the messages with a runner positioned at committed history, commits the batch and
   * dispatches it. The runner goes back to the cache only if it is still good.
   */
  private void decideAndCommit(RunRecord record, WorkflowRunner runner, List<WorkflowTaskMessage> messages,
      long startNanos) {
    RunKey key = record.run();
    boolean keep = false;
    try {
      List<WorkflowTaskMessage> fresh = new ArrayList<>();
      TreeSet<Integer> redispatch = new TreeSet<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (WorkflowTaskMessage m : messages) {
        if (!seen.add(m.messageId())) {
          continue;
        }
        Integer consumedBy = runner.batchThatConsumed(m.messageId());
        if (consumedBy != null) {
          redispatch.add(consumedBy);
        } else if (runner.accepts(m)) {
          fresh.add(m);
        }
      }
      // A message already consumed by a committed batch: the coordinator may have died before that
      // batch's sends. Re-send them (idempotent) instead of deciding again.
      for (int seq : redispatch) {
        store.readBatch(key, seq).ifPresent(b -> outbox.dispatch(record, b));
      }
      if (runner.isClosed()) {
        // History is closed but the run record may not be (a crash after the closing commit).
        store.readBatch(key, runner.lastBatchSeq()).ifPresent(b -> outbox.dispatch(record, b));
        return;
      }
      if (fresh.isEmpty()) {
        keep = true;
        return;
      }
      tasks.incrementAndGet();
      HistoryBatch batch = runner.runTask(fresh, clock.instant());
      hooks.beforeCommit(key, batch);
      store.appendBatch(key, batch);
      runner.committed(batch);
      if (record.taskFailure() != null) {
        store.getRun(key).ifPresent(r -> store.updateRun(r.withTaskFailure(null)));
        runner.record(record.withTaskFailure(null));
      }
      hooks.afterCommit(key, batch);
      outbox.dispatch(record, batch, runner.timerLengths());
      keep = !runner.isClosed();
      hooks.afterTask(key, batch, System.nanoTime() - startNanos);
    } catch (NonDeterministicWorkflowError | WorkflowTaskFailedException | PotentialDeadlockException e) {
      throw failTask(record, e);
    } finally {
      release(runner, keep);
    }
  }

  /** Answers a query from a runner positioned at the latest committed batch. */
  public Payload query(RunKey key, String queryName, Payload args) {
    RunRecord record = store.getRun(key).orElseThrow(() -> new IllegalArgumentException("unknown run " + key));
    WorkflowRunner runner = null;
    boolean keep = false;
    try {
      runner = prepare(record, cache.take(key));
      Payload result = runner.query(queryName, args);
      keep = !runner.isClosed();
      return result;
    } catch (NonDeterministicWorkflowError | WorkflowTaskFailedException | PotentialDeadlockException e) {
      throw new WorkflowTaskFailure(reason(e), e);
    } finally {
      release(runner, keep);
    }
  }

  /** A runner goes back to the cache only if it is positioned at committed history and still open. */
  private void release(WorkflowRunner runner, boolean keep) {
    if (runner != null) {
      if (keep) {
        cache.put(runner);
      } else {
        runner.close();
      }
    }
  }

  /** Brings {@code runner} (or, if null, a new one) up to the run's latest committed batch. */
  private WorkflowRunner prepare(RunRecord record, WorkflowRunner runner) {
    RunKey key = record.run();
    WorkflowImplementation impl = registry.get(record.workflowType()).orElse(null);
    if (impl == null) {
      String reason = "UnknownWorkflowType: workflow type '" + record.workflowType() + "' is not registered (registered: "
          + registry.types() + ")";
      if (runner != null) {
        runner.close();
      }
      throw failTask(record, reason, null);
    }
    try {
      if (runner == null) {
        fullReplays.incrementAndGet();
        runner = new WorkflowRunner(record, impl, deadlockMillis);
        runner.replay(store.readHistory(key, 0));
      } else {
        runner.replay(store.readHistory(key, runner.lastBatchSeq()));
      }
      return runner;
    } catch (RuntimeException | Error e) {
      if (runner != null) {
        runner.close();
      }
      throw e;
    }
  }

  /** Records why the run's task fails (describe shows it) and returns the failure to throw. */
  private WorkflowTaskFailure failTask(RunRecord record, Throwable e) {
    return failTask(record, reason(e), e);
  }

  private static String reason(Throwable e) {
    return e instanceof NonDeterministicWorkflowError ? "NonDeterministicWorkflowError: " + e.getMessage() : e.getMessage();
  }

  private WorkflowTaskFailure failTask(RunRecord record, String reason, Throwable cause) {
    log.warn("workflow task of {} failed: {}", record.run(), reason);
    store.getRun(record.run()).ifPresent(r -> {
      if (!reason.equals(r.taskFailure())) {
        store.updateRun(r.withTaskFailure(reason));
      }
    });
    return new WorkflowTaskFailure(reason, cause);
  }

  public long workflowTasks() { return tasks.get(); }
  public long fullReplays() { return fullReplays.get(); }
  public RunnerCache cache() { return cache; }
}
