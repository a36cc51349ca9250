package dev.tempora.internal.coordinator;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.ParkedTask;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.StoredHistory;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.observe.EngineMetrics;
import dev.tempora.internal.observe.LogContext;
import dev.tempora.internal.observe.TemporaMetrics;
import dev.tempora.internal.replay.LocalActivities;
import dev.tempora.internal.replay.PotentialDeadlockException;
import dev.tempora.internal.replay.WorkflowImplementation;
import dev.tempora.internal.replay.WorkflowRunner;
import dev.tempora.internal.replay.WorkflowTaskFailedException;
import dev.tempora.workflow.NonDeterministicWorkflowError;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One workflow task: load history (or take a warm runner and read only newer batches), replay,
 * decide on the new messages, commit the batch with one conditional append, dispatch its outbox.
 * The same class runs in the coordinator Lambda and in the in-memory test environment.
 *
 * <p>A task that cannot succeed with the code deployed (non-determinism, an unknown type, an
 * exception in workflow code, a limit) is parked (ADR 8): its messages are stored in the history
 * slot of the batch it would have become, the run record shows why, and a wake-up is scheduled
 * with backoff. The messages are then done as far as the queue is concerned: workflow-code
 * failures never wait in a queue, so they never reach a DLQ.
 */
public final class WorkflowTaskProcessor {
  private static final Logger log = LoggerFactory.getLogger(WorkflowTaskProcessor.class);
  /** Backoff of a parked task's retries: 1 s doubling up to 10 minutes, as Temporal's task retries cap. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofMinutes(10);
  /**
   * Retry of a task parked after transient errors: not growing with its attempts, since the code
   * is fine and the next attempt may well succeed (the queue already backed it off three times).
   */
  static final Duration TRANSIENT_RETRY = Duration.ofSeconds(5);

  private final HistoryStore store;
  private final WorkflowRegistry registry;
  private final RunnerCache cache;
  private final Outbox outbox;
  private final InstantSource clock;
  private final WorkflowTaskHooks hooks;
  private final long deadlockMillis;
  private volatile UnaryOperator<List<WorkflowTaskMessage>> activityDeadlines = UnaryOperator.identity();
  private final AtomicLong tasks = new AtomicLong();
  private final AtomicLong fullReplays = new AtomicLong();
  private final AtomicLong parkedTasks = new AtomicLong();
  private final Set<String> servedTaskQueues;
  /** Runs the local activities of new tasks in this process (issue 13); none until the runtime sets them. */
  private volatile LocalActivities localActivities = LocalActivities.NONE;
  /** Where task, failure, close and timer metrics go (issue 15); none until the runtime sets a port. */
  private volatile TemporaMetrics metrics = new TemporaMetrics(EngineMetrics.NONE);

  public WorkflowTaskProcessor(HistoryStore store, WorkflowRegistry registry, RunnerCache cache, Outbox outbox,
      InstantSource clock, WorkflowTaskHooks hooks, long deadlockMillis) {
    this(store, registry, cache, outbox, clock, hooks, deadlockMillis, Set.of());
  }

  /**
   * @param servedTaskQueues the activity task queues the deployment has queues for (empty: any);
   *     workflow code scheduling an activity elsewhere fails its task with {@code UnknownTaskQueue}
   */
  public WorkflowTaskProcessor(HistoryStore store, WorkflowRegistry registry, RunnerCache cache, Outbox outbox,
      InstantSource clock, WorkflowTaskHooks hooks, long deadlockMillis, Set<String> servedTaskQueues) {
    this.servedTaskQueues = Set.copyOf(servedTaskQueues);
    this.store = store;
    this.registry = registry;
    this.cache = cache;
    this.outbox = outbox;
    this.clock = clock;
    this.hooks = hooks;
    this.deadlockMillis = deadlockMillis;
  }

  /**
   * Processes one workflow's messages (in order; possibly for several runs). Returning means the
   * messages are done: committed, parked durably with the run, or not for any open run.
   *
   * @throws RuntimeException on anything transient (a lost race, a store error): redeliver them
   */
  public void process(List<WorkflowTaskMessage> messages) {
    Map<RunKey, List<WorkflowTaskMessage>> byRun = new LinkedHashMap<>();
    for (WorkflowTaskMessage m : messages) {
      byRun.computeIfAbsent(m.run(), k -> new ArrayList<>()).add(m);
    }
    byRun.forEach(this::processRun);
  }

  /** The code cannot handle the task: park it, with a reason that names the error. */
  private static final class CodeFailure extends RuntimeException {
    CodeFailure(String reason, Throwable cause) {
      super(reason, cause, false, false);
    }
  }

  /**
   * Takes the messages that are not the workflow's to decide off the path first: async activity
   * attempts' deadlines (ADR 19), handled by the runtime's async completion.
   */
  public void onActivityDeadlines(UnaryOperator<List<WorkflowTaskMessage>> handler) {
    this.activityDeadlines = handler;
  }

  private void processRun(RunKey key, List<WorkflowTaskMessage> messages) {
    messages = activityDeadlines.apply(messages);
    if (messages.isEmpty()) {
      return;
    }
    WorkflowTaskMessage timeout = messages.stream().filter(m -> m.event() instanceof Event.WorkflowExecutionTimedOut)
        .findFirst().orElse(null);
    if (timeout != null) {
      // The run's deadline: it closes whatever else is waiting, without running workflow code (so
      // also while its task is parked), as a terminate does.
      timeOut(key, timeout);
      return;
    }
    messages = withoutEarlyStarts(key, messages);
    if (messages.isEmpty()) {
      return;
    }
    long startNanos = System.nanoTime();
    // Read before the runner is taken or made: an eviction from here on keeps it out of the cache.
    long generation = cache.generation();
    WorkflowRunner warm = cache.take(key);
    if (warm != null) {
      try {
        // The hot path: a warm runner decides and commits without reading the run or the history.
        // The conditional append is the check that nothing happened meanwhile (another coordinator's
        // batch, a terminate, a task parked by another coordinator): if it fails, the runner is stale
        // and the task starts over from the store.
        decideAndCommit(warm.record(), warm, messages, null, true, startNanos, generation);
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
      forwardSignals(record, messages);
      return;
    }
    // No warm runner here (or a stale one, discarded): replay in full.
    StoredHistory history = store.read(key, 0);
    HistoryBatch last = history.batches().isEmpty() ? null : history.batches().getLast();
    if (last != null && last.closingEvent() != null) {
      // Closed in history, not yet on the record (a crash or a failed update after the closing
      // commit): finish the close; nothing is decided or parked after a closing event.
      cache.invalidate(key);
      outbox.dispatch(record, last);
      forwardSignals(HistoryTruth.closedBy(record, last).orElse(record), messages);
      return;
    }
    fullReplays.incrementAndGet();
    ParkedTask parked = history.parked();
    List<WorkflowTaskMessage> all = parked == null ? messages : withWakeUps(parked.followedBy(messages), messages);
    int nextSeq = history.batches().isEmpty() ? 1 : history.batches().getLast().seq() + 1;
    WorkflowRunner runner = null;
    try {
      WorkflowImplementation impl = registry.get(record.workflowType()).orElseThrow(() -> new CodeFailure(
          "UnknownWorkflowType: workflow type '" + record.workflowType() + "' is not registered (registered: "
              + registry.types() + ")", null));
      runner = new WorkflowRunner(record, impl, deadlockMillis).localActivities(localActivities);
      runner.replay(history.batches());
    } catch (NonDeterministicWorkflowError | WorkflowTaskFailedException | PotentialDeadlockException | CodeFailure e) {
      if (runner != null) {
        runner.close();
      }
      park(record, nextSeq, all, parked, reason(e), false, e);
      return;
    } catch (RuntimeException | Error e) {
      if (runner != null) {
        runner.close();
      }
      throw e;
    }
    if (decideAndCommit(record, runner, all, parked, false, startNanos, generation) && record.taskFailure() != null) {
      // Healed: the batch replaced the parked task; clear what describe shows.
      store.setTaskFailure(key, null);
    }
  }

  /**
   * Decides on the messages with a runner positioned at committed history, commits the batch and
   * dispatches it, or parks the task if the code fails on them. The runner goes back to the cache
   * only if it is still good. Returns whether the run's task is now healthy (not parked).
   */
  private boolean decideAndCommit(RunRecord record, WorkflowRunner runner, List<WorkflowTaskMessage> messages,
      ParkedTask parked, boolean warm, long startNanos, long generation) {
    RunKey key = record.run();
    boolean keep = false;
    if (record.taskQueue() != null) {
      MDC.put(LogContext.TASK_QUEUE, record.taskQueue());
    }
    // The task's time: what its events are stamped with, and what a timer's fire time is checked against.
    Instant now = clock.instant();
    try {
      List<WorkflowTaskMessage> fresh = new ArrayList<>();
      TreeSet<Integer> redispatch = new TreeSet<>();
      Set<String> seen = new HashSet<>();
      Set<Long> firedTimers = new HashSet<>();
      List<String> wakeUps = new ArrayList<>();
      for (WorkflowTaskMessage m : messages) {
        if (!seen.add(m.messageId())) {
          continue;
        }
        Integer consumedBy = runner.batchThatConsumed(m.messageId());
        if (consumedBy != null) {
          redispatch.add(consumedBy);
        } else if (m.isWakeUp()) {
          // No event, but maybe the only trigger of the batch this task commits (a parked task's
          // retry): recorded as consumed by it like any message, so that if this task dies before
          // the batch's sends, the wake-up's redelivery re-sends them.
          wakeUps.add(m.messageId());
        } else if (runner.accepts(m)) {
          Instant due = runner.timerFireTime(m);
          if (due != null && !firedTimers.add(((Event.TimerFired) m.event()).seq())) {
            // Another copy of this firing (an early one deferred under its own id) is in this task.
            continue;
          }
          if (due != null && due.isAfter(now)) {
            // A timer never fires early (Temporal's rule): a firing that beat its time (a
            // Scheduler or SQS delay a little early, hosts' clocks apart) is sent back to arrive then.
            log.info("timer message {} of {} arrived {} early; deferred", m.messageId(), key,
                Duration.between(now, due));
            outbox.deferEarly(m, due, now);
          } else {
            fresh.add(m);
            if (due != null) {
              metrics.timerLateness(record.taskQueue(), record.workflowType(), Duration.between(due, now).toNanos() / 1e6);
            }
          }
        } else if (warm && runner.isBehind(m)) {
          // It resolves a command this warm runner never issued: another coordinator committed newer
          // batches (say the one that scheduled this activity). Dropping it would lose it; the store
          // has the history that knows it. (An outcome of a command the runner issued and resolved,
          // a cancelled activity's late completion, is stale and dropped.)
          throw new ConcurrentUpdateException("warm runner of " + key + " is behind message " + m.messageId());
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
        return true;
      }
      if (fresh.isEmpty()) {
        // Nothing to decide. A parked task left with only stale messages stays in its slot until
        // the next task replaces it (the runner stays out of the cache, so that task reads it).
        keep = parked == null;
        return true;
      }
      if (!runner.isStarted()) {
        int start = indexOfStart(fresh);
        if (start < 0) {
          // A signal or cancel overtook the start message (whose send failed; the stream relay re-sends
          // it): keep them with the run until the start arrives.
          park(record, runner.lastBatchSeq() + 1, fresh, parked,
              "StartNotYetReceived: the run's start message has not arrived yet; its messages wait for it");
          return false;
        }
        // The start comes first, whatever overtook it: a signal handler runs on a started workflow.
        fresh.addFirst(fresh.remove(start));
        // Copies of it (a retry's start arrives by its timer and by the stream relay) are stale.
        fresh.subList(1, fresh.size()).removeIf(m -> m.event() instanceof Event.WorkflowExecutionStarted);
        withStartSignal(record, runner, fresh);
      }
      tasks.incrementAndGet();
      HistoryBatch batch;
      try {
        batch = runner.runTask(fresh, now, wakeUps);
      } catch (NonDeterministicWorkflowError | WorkflowTaskFailedException | PotentialDeadlockException e) {
        park(record, runner.lastBatchSeq() + 1, fresh, parked, reason(e), false, e);
        return false;
      }
      if (batch == null) {
        // Only updates that their validators rejected: nothing is recorded, the callers are told.
        reportRejectedUpdates(key, runner);
        keep = parked == null;
        return parked == null;
      }
      String unserved = unservedTaskQueue(batch);
      if (unserved != null) {
        park(record, runner.lastBatchSeq() + 1, fresh, parked, unserved);
        return false;
      }
      hooks.beforeCommit(key, batch);
      if (batch.closingEvent() instanceof Event.WorkflowExecutionContinuedAsNew c) {
        // The next run exists from the same write on: signals and clients following the id find it.
        store.appendBatchStartingRun(key, batch, parked == null ? null : parked.id(),
            ContinuedRun.next(record, c, batch.events().getLast().timestamp()));
      } else {
        store.appendBatch(key, batch, parked == null ? null : parked.id());
      }
      runner.committed(batch);
      if (runner.record().taskFailure() != null) {
        runner.record(runner.record().withTaskFailure(null));
      }
      hooks.afterCommit(key, batch);
      reportRejectedUpdates(key, runner);
      outbox.dispatch(record, batch, runner.timerLengths());
      keep = !runner.isClosed();
      long nanos = System.nanoTime() - startNanos;
      hooks.afterTask(key, batch, nanos);
      metrics.workflowTask(record.taskQueue(), record.workflowType(), nanos / 1e6, warm, !warm);
      if (batch.closingEvent() != null) {
        metrics.workflowClosed(record.taskQueue(), record.workflowType(),
            HistoryTruth.statusOf(batch.closingEvent()).name());
      }
      return true;
    } finally {
      MDC.remove(LogContext.TASK_QUEUE);
      release(runner, keep, generation);
    }
  }

  /** {@code merged} (a parked task's messages and the new ones) with the new wake-ups, which merging drops. */
  private static List<WorkflowTaskMessage> withWakeUps(List<WorkflowTaskMessage> merged,
      List<WorkflowTaskMessage> received) {
    List<WorkflowTaskMessage> all = new ArrayList<>(merged);
    received.stream().filter(WorkflowTaskMessage::isWakeUp).forEach(all::add);
    return all;
  }

  /** Stores the task's update rejections where their callers look for them (no history event). */
  private void reportRejectedUpdates(RunKey key, WorkflowRunner runner) {
    runner.rejectedUpdates().forEach((updateId, failure) -> {
      log.info("update {} of {} rejected by its validator: {}", updateId, key, failure.summary());
      store.putUpdateRejection(key, updateId, failure);
    });
  }

  /**
   * Signals that reach a run closed by continue-as-new (sent while the run was current, delivered
   * after its close) go to the run it continued as, as Temporal moves them: under the same request
   * id, so a signal forwarded twice is one message and recorded once. Along a chain each closed
   * run forwards to its next. Other messages for a closed run are stale.
   */
  private void forwardSignals(RunRecord closed, List<WorkflowTaskMessage> messages) {
    if (closed.status() != WorkflowExecutionStatus.CONTINUED_AS_NEW) {
      return;
    }
    List<WorkflowTaskMessage> signals = messages.stream().filter(m -> m.event() instanceof Event.WorkflowSignaled)
        .toList();
    if (signals.isEmpty()) {
      return;
    }
    Event closing = store.readLastBatch(closed.run()).map(HistoryBatch::closingEvent).orElse(null);
    if (!(closing instanceof Event.WorkflowExecutionContinuedAsNew c)) {
      return;
    }
    RunKey next = new RunKey(closed.run().namespace(), closed.run().workflowId(), c.newRunId());
    List<WorkflowTaskMessage> forwarded = new ArrayList<>();
    for (WorkflowTaskMessage m : signals) {
      forwarded.add(WorkflowTaskMessage.signal(next, (Event.WorkflowSignaled) m.event()));
    }
    log.info("forwarding {} signal(s) that reached {} after it continued as new to run {}", forwarded.size(),
        closed.run(), next.runId());
    outbox.forward(forwarded);
  }

  /**
   * Puts a signal-with-start's signal, stored with the run, right after the start message (the
   * start may reach the coordinator alone: the stream relay re-sends it from the run record). Its
   * message, when it arrives as well, is the same message and recorded once.
   */
  private static void withStartSignal(RunRecord record, WorkflowRunner runner, List<WorkflowTaskMessage> fresh) {
    if (record.startSignal() == null) {
      return;
    }
    WorkflowTaskMessage signal = WorkflowTaskMessage.signal(record.run(), record.startSignal());
    boolean arrived = fresh.removeIf(m -> m.messageId().equals(signal.messageId()));
    if (arrived || runner.accepts(signal)) {
      fresh.add(1, signal);
    }
  }

  /**
   * The messages without start messages that came before the run's first workflow task may run (a
   * retry's start, sent at once by the stream relay, or forwarded a little early): each is deferred
   * to that time under an id of its own (SQS FIFO would drop the same id as a duplicate). The run's
   * first task applies the first start that arrives in time; later copies are stale.
   */
  private List<WorkflowTaskMessage> withoutEarlyStarts(RunKey key, List<WorkflowTaskMessage> messages) {
    List<WorkflowTaskMessage> out = null;
    for (int i = 0; i < messages.size(); i++) {
      WorkflowTaskMessage m = messages.get(i);
      Instant notBefore = m.event() instanceof Event.WorkflowExecutionStarted s && s.startOptions().firstWorkflowTaskBackoff()
          != null ? store.getRun(key).map(r -> WorkflowRetry.notBefore(s, r.startTime())).orElse(null) : null;
      Instant now = clock.instant();
      if (notBefore != null && now.isBefore(notBefore)) {
        if (out == null) {
          out = new ArrayList<>(messages.subList(0, i));
        }
        outbox.deferEarly(m, notBefore, now);
      } else if (out != null) {
        out.add(m);
      }
    }
    return out == null ? messages : out;
  }

  /**
   * Closes the run as timed out if it is still open and its deadline has passed: appends a batch
   * with WorkflowExecutionTimedOut after the newest one (replacing a parked task, whose messages
   * are moot then) and dispatches it. A timeout that arrives early (a timer forwarded ahead of its
   * time) is deferred again; one for a closed run is stale and dropped. Safe under redelivery.
   */
  private void timeOut(RunKey key, WorkflowTaskMessage timeout) {
    cache.invalidate(key);
    while (true) {
      RunRecord record = store.getRun(key).orElse(null);
      Instant deadline = record == null ? null : Outbox.runDeadline(record);
      if (record == null || record.status().isClosed() || deadline == null) {
        return;
      }
      Instant now = clock.instant();
      if (now.isBefore(deadline)) {
        outbox.deferEarly(timeout, deadline, now);
        return;
      }
      Optional<HistoryBatch> batch;
      try {
        batch = HistoryTruth.appendClosing(store, record, store.readLastBatch(key), new Event.WorkflowExecutionTimedOut(),
            now, List.of(timeout.messageId()));
      } catch (ConcurrentUpdateException e) {
        continue; // another coordinator's batch or parked task got there first: look again
      }
      if (batch.isEmpty()) {
        return;
      }
      log.info("workflow {} timed out (deadline {})", key, deadline);
      metrics.workflowClosed(record.taskQueue(), record.workflowType(), WorkflowExecutionStatus.TIMED_OUT.name());
      outbox.dispatch(record, batch.get());
      return;
    }
  }

  /**
   * Stores the task's messages in history slot {@code seq} (replacing the parked version it
   * retried), shows the reason on the run record, and schedules a retry with backoff. If another
   * coordinator took the slot meanwhile, this throws {@link ConcurrentUpdateException}: the caller
   * redelivers and the next attempt sees the newer history.
   */
  private void park(RunRecord record, int seq, List<WorkflowTaskMessage> messages, ParkedTask previous, String reason) {
    park(record, seq, messages, previous, reason, false, null);
  }

  /** {@code cause}: the error, logged with the task's one WARN event (its stack trace in the event). */
  private void park(RunRecord record, int seq, List<WorkflowTaskMessage> messages, ParkedTask previous, String reason,
      boolean transientFailure, Throwable cause) {
    RunKey key = record.run();
    int attempts = previous == null ? 1 : previous.attempts() + 1;
    Instant now = clock.instant();
    ParkedTask task = new ParkedTask(null, seq, ParkedTask.merge(List.of(), messages), reason, attempts, now,
        registry.deployment());
    ParkedTask stored = store.park(key, task, previous == null ? null : previous.id());
    if (indexOfStart(messages) >= 0) {
      // A run parked at its first task still times out (its start batch, which would schedule it, is not committed).
      outbox.scheduleRunTimeout(record);
    }
    store.setTaskFailure(key, stored);
    cache.invalidate(key);
    parkedTasks.incrementAndGet();
    Duration backoff = transientFailure ? TRANSIENT_RETRY : retryBackoff(attempts);
    if (!reason.startsWith("StartNotYetReceived")) {
      metrics.workflowTaskFailure(TemporaMetrics.FailureReason.of(reason));
    }
    // The task's one log event (the handler does not log it again): the cause's stack trace rides in it.
    log.warn("workflow task of {} failed (attempt {}), parked with {} message(s), retry in {}: {}", key, attempts,
        stored.messages().size(), backoff, reason, cause);
    // Named by slot and attempt: a run parked again later (another slot, attempts from 1) needs a
    // wake-up of its own; one reusing an earlier name would be dropped as that one's duplicate
    // (FIFO deduplication for 5 minutes, an in-memory timer fires once).
    outbox.wakeUp(key, now.plus(backoff), "retry-" + seq + "-" + attempts);
  }

  /**
   * Parks messages that could not be processed after repeated transient errors (a throttled
   * table, an unreachable queue), so they wait in the table with a reason instead of being pushed
   * toward the queue's DLQ. Throws if the store cannot take them either.
   */
  public void parkUndelivered(List<WorkflowTaskMessage> messages, String reason) {
    Map<RunKey, List<WorkflowTaskMessage>> byRun = new LinkedHashMap<>();
    for (WorkflowTaskMessage m : messages) {
      byRun.computeIfAbsent(m.run(), k -> new ArrayList<>()).add(m);
    }
    byRun.forEach((key, list) -> {
      RunRecord record = store.getRun(key).orElse(null);
      if (record == null || record.status().isClosed()) {
        return;
      }
      HistoryBatch last = store.readLastBatch(key).orElse(null);
      if (last != null && last.closingEvent() != null) {
        // Closed in history: the messages are moot, and nothing may follow a closing event.
        HistoryTruth.closedBy(record, last).ifPresent(closed -> HistoryTruth.repair(store, closed));
        return;
      }
      int seq = last == null ? 1 : last.seq() + 1;
      ParkedTask previous = store.readParked(key, seq).orElse(null);
      park(record, seq, previous == null ? list : previous.followedBy(list), previous, "TransientFailure: " + reason,
          true, null);
    });
  }

  /**
   * Wakes the namespace's parked runs whose last attempt ran under other code ({@code all}: every
   * parked run), so a deployment that fixes them resumes them at once instead of after their
   * backoff. Returns how many were woken.
   */
  public int wakeParkedRuns(String namespace, boolean all) {
    String deployment = registry.deployment();
    List<RunKey> runs = store.parkedRuns(namespace, all ? null : deployment);
    for (RunKey run : runs) {
      outbox.wakeUp(run, clock.instant(), "deploy-" + deployment);
    }
    if (!runs.isEmpty()) {
      log.info("woke {} parked workflow task(s) for deployment {}", runs.size(), deployment);
    }
    return runs.size();
  }

  private static int indexOfStart(List<WorkflowTaskMessage> messages) {
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).event() instanceof Event.WorkflowExecutionStarted) {
        return i;
      }
    }
    return -1;
  }

  /** Why the batch cannot be dispatched here: an activity on a task queue this deployment has no queue for. */
  private String unservedTaskQueue(HistoryBatch batch) {
    if (servedTaskQueues.isEmpty()) {
      return null;
    }
    for (HistoryEvent e : batch.events()) {
      if (e.event() instanceof Event.ActivityTaskScheduled s && !servedTaskQueues.contains(s.taskQueue())) {
        return "UnknownTaskQueue: activity " + s.activityType() + " is scheduled on task queue '" + s.taskQueue()
            + "', which this deployment does not serve (served: " + new TreeSet<>(servedTaskQueues) + ")";
      }
    }
    return null;
  }

  static Duration retryBackoff(int attempts) {
    int doublings = Math.min(attempts - 1, 20);
    Duration d = FIRST_RETRY.multipliedBy(1L << doublings);
    return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
  }

  /** Where the task metrics go (issue 15). */
  public void metrics(TemporaMetrics m) {
    this.metrics = m;
  }

  /** Where local activities run: the runtime's executor over its registered activities. */
  public void localActivities(LocalActivities l) {
    this.localActivities = l;
  }

  /** Answers a query from a runner positioned at the latest committed batch. */
  public Payload query(RunKey key, String queryName, Payload args) {
    RunRecord record = store.getRun(key).orElseThrow(() -> new IllegalArgumentException("unknown run " + key));
    WorkflowRunner runner = null;
    boolean keep = false;
    long generation = cache.generation();
    try {
      runner = cache.take(key);
      WorkflowImplementation impl = registry.get(record.workflowType()).orElse(null);
      if (impl == null) {
        throw new WorkflowTaskFailure("UnknownWorkflowType: workflow type '" + record.workflowType()
            + "' is not registered (registered: " + registry.types() + ")", null);
      }
      if (runner == null) {
        fullReplays.incrementAndGet();
        runner = new WorkflowRunner(record, impl, deadlockMillis).localActivities(localActivities);
        runner.replay(store.readHistory(key, 0));
      } else {
        runner.replay(store.readHistory(key, runner.lastBatchSeq()));
      }
      Payload result = runner.query(queryName, args);
      // A parked run's runner stays out of the cache: its next task must start from the store,
      // where the parked messages are.
      keep = !runner.isClosed() && record.taskFailure() == null;
      return result;
    } catch (NonDeterministicWorkflowError | WorkflowTaskFailedException | PotentialDeadlockException e) {
      throw new WorkflowTaskFailure(reason(e), e);
    } finally {
      release(runner, keep, generation);
    }
  }

  /**
   * A runner goes back to the cache only if it is positioned at committed history and still open,
   * and no eviction ran since {@code generation} (the task's batch may be visible already, so a test
   * that evicted after seeing it expects the next task to replay).
   */
  private void release(WorkflowRunner runner, boolean keep, long generation) {
    if (runner != null) {
      if (keep) {
        cache.put(runner, generation);
      } else {
        runner.close();
      }
    }
  }

  private static String reason(Throwable e) {
    return e instanceof NonDeterministicWorkflowError ? "NonDeterministicWorkflowError: " + e.getMessage() : e.getMessage();
  }

  public long workflowTasks() { return tasks.get(); }
  public long fullReplays() { return fullReplays.get(); }
  public long parkedTasks() { return parkedTasks.get(); }
  public RunnerCache cache() { return cache; }
}
