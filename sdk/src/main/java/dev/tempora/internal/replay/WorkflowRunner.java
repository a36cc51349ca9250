package dev.tempora.internal.replay;

import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.OpenTimers;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.TimerLengths;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.workflow.NonDeterministicWorkflowError;
import dev.tempora.workflow.WorkflowInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live run of workflow code, positioned after the last history batch it applied. Replaying a
 * committed batch re-runs the code on the batch's inbound events and checks that the commands it
 * produces match the batch's command events; running a new task does the same on new events and
 * returns the batch to commit. A runner whose task threw, or whose batch failed to commit, must be
 * discarded ({@link #close()}): its state is ahead of history.
 */
public final class WorkflowRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkflowRunner.class);

  private final RunKey run;
  private RunRecord record;
  private final WorkflowLimits limits;
  private final WorkflowContext context;
  private final Map<String, Integer> consumedBy = new HashMap<>();
  private final OpenTimers openTimers = new OpenTimers();
  private int lastBatchSeq;
  private long lastEventId;
  /** The history's size as {@link HistorySize} counts it, over every batch applied. */
  private long historyBytes;
  private HistoryBatch uncommitted;
  private Map<String, FailureInfo> rejectedUpdates = Map.of();

  /** A replayer's runner, with the {@link WorkflowLimits#current() current} limits. */
  public WorkflowRunner(RunKey run, Event.WorkflowExecutionStarted started, WorkflowImplementation impl, long deadlockMillis) {
    this(run, null, started, impl, deadlockMillis, WorkflowLimits.current());
  }

  /**
   * A runner for a coordinator, which keeps the run record it was made from for its warm tasks,
   * with the {@link WorkflowLimits#current() current} limits.
   */
  public WorkflowRunner(RunRecord record, WorkflowImplementation impl, long deadlockMillis) {
    this(record, impl, deadlockMillis, WorkflowLimits.current());
  }

  public WorkflowRunner(RunRecord record, WorkflowImplementation impl, long deadlockMillis, WorkflowLimits limits) {
    this(record.run(), record, record.startEvent(), impl, deadlockMillis, limits);
  }

  WorkflowRunner(RunKey run, RunRecord record, Event.WorkflowExecutionStarted started,
      WorkflowImplementation impl, long deadlockMillis, WorkflowLimits limits) {
    this.run = run;
    this.record = record;
    this.limits = limits;
    WorkflowInfo info = new WorkflowInfo(run.namespace(), run.workflowId(), run.runId(), started.workflowType(),
        started.taskQueue(), started.continuedFromRunId(), 0, 0, false,
        started.startOptions().cronSchedule());
    this.context = new WorkflowContext(info, impl, deadlockMillis, limits);
    this.context.startOptions(started.startOptions());
  }

  public RunKey run() {
    return run;
  }

  /** What runs the local activities of new tasks (the coordinator's); without it, a new task's local activity fails. */
  public WorkflowRunner localActivities(LocalActivities l) {
    context.localActivities(l);
    return this;
  }

  /** The run record this runner was made from (null for a replayer's runner). */
  public RunRecord record() {
    return record;
  }

  /** After the coordinator changed the run record (a cleared task failure). */
  public void record(RunRecord changed) {
    this.record = changed;
  }

  public int lastBatchSeq() {
    return lastBatchSeq;
  }

  public long lastEventId() {
    return lastEventId;
  }

  /** The payload bytes of the history applied so far, as the history size limit counts them. */
  public long historyBytes() {
    return historyBytes;
  }

  /** Signals the run has recorded (applied batches only); at {@link WorkflowLimits#signalsReceived()} more are refused. */
  public int signalsReceived() {
    return context.signalsReceived();
  }

  public WorkflowLimits limits() {
    return limits;
  }

  public boolean isClosed() {
    return context.isClosed();
  }

  /**
   * Whether the message refers to a command this runner has not seen (an activity or timer seq
   * beyond its last): it is behind another coordinator's batches.
   */
  public boolean isBehind(WorkflowTaskMessage m) {
    return !m.isWakeUp() && context.isAhead(m.event());
  }

  /** Whether the run's start event has been applied (its first task ran). */
  public boolean isStarted() {
    return context.isStarted();
  }

  /**
   * The lengths of the run's timers as of the last batch this runner applied: what the outbox
   * needs to dispatch that batch's cancels without cancelling timers that cannot exist.
   */
  public TimerLengths timerLengths() {
    return openTimers;
  }

  /**
   * When the timer a TimerFired message fires is due, or null for any other message (or a timer
   * that is not open): the coordinator holds back a firing that arrives before this.
   */
  public Instant timerFireTime(WorkflowTaskMessage m) {
    return m.event() instanceof Event.TimerFired f ? context.timerFireTime(f.seq()) : null;
  }

  /** The seq of the committed batch that consumed this message, or null. */
  public Integer batchThatConsumed(String messageId) {
    return consumedBy.get(messageId);
  }

  /**
   * Whether the message still means something to this run. A signal past {@link
   * WorkflowLimits#signalsReceived()} does not: the client refuses those, and one that raced past
   * the client's check is dropped here (logged), as Temporal refuses it.
   */
  public boolean accepts(WorkflowTaskMessage m) {
    if (consumedBy.containsKey(m.messageId()) || !context.accepts(m.event())) {
      return false;
    }
    if (m.event() instanceof Event.WorkflowSignaled s && context.signalsReceived() >= limits.signalsReceived()) {
      refuseSignal(m, s);
      return false;
    }
    return true;
  }

  private void refuseSignal(WorkflowTaskMessage m, Event.WorkflowSignaled s) {
    log.warn("SignalsLimitExceeded: dropping signal '{}' (message {}) to {}: the run has received {} signals; the limit "
        + "is {}", s.signalName(), m.messageId(), run, context.signalsReceived(), limits.signalsReceived());
  }

  /**
   * Replays committed batches in order.
   *
   * @throws NonDeterministicWorkflowError when the code's commands do not match a batch's
   * @throws WorkflowTaskFailedException or {@link PotentialDeadlockException} when the code cannot
   *     replay at all (it throws, goes past a limit, an event cannot be applied)
   * @throws IllegalStateException when the batches are not the next ones (a caller or store bug)
   */
  public void replay(List<HistoryBatch> batches) {
    driven(() -> {
      for (HistoryBatch b : batches) {
        replay(b);
      }
      return null;
    });
  }

  private void replay(HistoryBatch b) {
    if (b.seq() != lastBatchSeq + 1) {
      throw new IllegalStateException("batch " + b.seq() + " of " + run + " replayed after batch " + lastBatchSeq);
    }
    int wtc = indexOfTaskCompleted(b.events());
    if (wtc < 0) {
      // A batch written outside a workflow task (terminate): nothing for the code to do.
      for (HistoryEvent e : b.events()) {
        if (HistoryBatch.isClosing(e.event())) {
          context.markClosed();
        }
      }
    } else {
      List<HistoryEvent> recorded = b.events().subList(wtc + 1, b.events().size());
      Map<Long, Event.MarkerRecorded> markers = new HashMap<>();
      Map<String, Integer> versions = new HashMap<>();
      for (HistoryEvent e : recorded) {
        if (VersionMarker.isVersionMarker(e.event())) {
          VersionMarker v = failingTheTask(() -> VersionMarker.of((Event.MarkerRecorded) e.event()));
          versions.putIfAbsent(v.changeId(), v.version());
        } else if (e.event() instanceof Event.MarkerRecorded m) {
          markers.put(m.seq(), m);
        }
      }
      Instant time = b.events().get(wtc).timestamp();
      List<Event> inbound = new ArrayList<>(wtc);
      for (HistoryEvent e : b.events().subList(0, wtc)) {
        inbound.add(e.event());
      }
      long recordedBytes = HistorySize.bytes(recorded);
      long lengthAtTask = b.events().get(wtc).eventId();
      long sizeAtTask = historyBytes + HistorySize.bytes(b.events().subList(0, wtc));
      failingTheTask(() -> {
        List<Command> commands = execute(inbound, time, true, markers, versions, recorded.size(), recordedBytes,
            lengthAtTask, sizeAtTask);
        match(commands, recorded, time, b.events().get(wtc).eventId());
        return null;
      });
    }
    advance(b);
  }

  /**
   * Runs a new workflow task on the given (accepted, distinct) messages at workflow time
   * {@code now}, and returns the batch to commit: the messages' events, a WorkflowTaskCompleted
   * and the commands' events, or, when that would take the history past {@link
   * WorkflowLimits#historyEvents()} or {@link WorkflowLimits#historyBytes()}, the messages' events
   * and a WorkflowExecutionTerminated with reason {@code HistoryLimitExceeded: ...}, as Temporal
   * terminates such runs. Null when there is nothing to record: the task's only news were updates
   * their validators rejected ({@link #rejectedUpdates()}).
   *
   * @throws WorkflowTaskFailedException when the task cannot complete (workflow code threw, went
   *     past a limit, asked for an impossible duration); so does anything else that goes wrong
   *     running the code or making its events, never a bare RuntimeException
   * @throws NonDeterministicWorkflowError never here (only in {@link #replay})
   * @throws PotentialDeadlockException when a workflow thread does not yield
   */
  public HistoryBatch runTask(List<WorkflowTaskMessage> messages, Instant now) {
    return runTask(messages, now, List.of());
  }

  /**
   * As {@link #runTask(List, Instant)}; {@code wakeUps} are the ids of the messages without an
   * event (wake-ups) that triggered this task: its batch records them as consumed too.
   */
  public HistoryBatch runTask(List<WorkflowTaskMessage> messages, Instant now, List<String> wakeUps) {
    return driven(() -> decide(messages, now, wakeUps));
  }

  private HistoryBatch decide(List<WorkflowTaskMessage> messages, Instant now, List<String> wakeUps) {
    if (uncommitted != null) {
      throw new IllegalStateException("previous task of " + run + " was not committed");
    }
    List<WorkflowTaskMessage> taken = withinSignalLimit(messages);
    List<Event> inbound = new ArrayList<>(taken.size());
    long inboundBytes = 0;
    for (WorkflowTaskMessage m : taken) {
      inbound.add(m.event());
      inboundBytes += HistorySize.bytes(m.event());
    }
    List<String> messageIds = new ArrayList<>(taken.stream().map(WorkflowTaskMessage::messageId).toList());
    // After the inbound ids, whose positions match the inbound events (rejected updates remove by position).
    messageIds.addAll(wakeUps);
    rejectedUpdates = Map.of();
    // Over the limit before the code runs (big inbound events): no point in running it.
    if (overHistoryLimit(inbound.size() + 1, inboundBytes)) {
      return uncommitted = terminating(inbound, messageIds, now, inbound.size() + 1, inboundBytes);
    }
    long lengthAtTask = lastEventId + inbound.size() + 1;
    long sizeAtTask = historyBytes + inboundBytes;
    List<HistoryEvent> events = failingTheTask(() -> {
      List<Command> commands = execute(inbound, now, false, Map.of(), Map.of(), 0, 0, lengthAtTask, sizeAtTask);
      rejectedUpdates = context.takeRejectedUpdates();
      if (!rejectedUpdates.isEmpty()) {
        // A rejected update leaves no trace in history (nor its message id: the same update id
        // may be sent again, and is validated again).
        for (int i = taken.size() - 1; i >= 0; i--) {
          if (taken.get(i).event() instanceof Event.WorkflowExecutionUpdateAccepted u
              && rejectedUpdates.containsKey(u.updateId())) {
            inbound.remove(i);
            messageIds.remove(i);
          }
        }
        if (inbound.isEmpty() && commands.isEmpty()) {
          return null;
        }
      }
      long id = lastEventId;
      List<HistoryEvent> out = new ArrayList<>(inbound.size() + 1 + commands.size());
      for (Event e : inbound) {
        out.add(new HistoryEvent(++id, now, e));
      }
      out.add(new HistoryEvent(++id, now, new Event.WorkflowTaskCompleted()));
      for (Command c : commands) {
        out.add(new HistoryEvent(++id, now, c.toEvent(now)));
      }
      return out;
    });
    if (events == null) {
      // Only rejected updates: nothing to record.
      return null;
    }
    long batchBytes = inboundBytes + HistorySize.bytes(events.subList(inbound.size(), events.size()));
    if (overHistoryLimit(events.size(), batchBytes)) {
      return uncommitted = terminating(inbound, messageIds, now, events.size(), batchBytes);
    }
    warnNearHistoryLimit(events.size(), batchBytes);
    uncommitted = new HistoryBatch(lastBatchSeq + 1, events, messageIds);
    return uncommitted;
  }

  /**
   * The messages without the signals past {@link WorkflowLimits#signalsReceived()}: {@link #accepts}
   * looks at one message at a time, so several signals of one task can pass it together.
   */
  private List<WorkflowTaskMessage> withinSignalLimit(List<WorkflowTaskMessage> messages) {
    int signals = context.signalsReceived();
    List<WorkflowTaskMessage> taken = new ArrayList<>(messages.size());
    for (WorkflowTaskMessage m : messages) {
      if (m.event() instanceof Event.WorkflowSignaled s) {
        if (signals >= limits.signalsReceived()) {
          refuseSignal(m, s);
          continue;
        }
        signals++;
      }
      taken.add(m);
    }
    return taken;
  }

  private boolean overHistoryLimit(long batchEvents, long batchBytes) {
    return lastEventId + batchEvents > limits.historyEvents() || historyBytes + batchBytes > limits.historyBytes();
  }

  private HistoryBatch terminating(List<Event> inbound, List<String> messageIds, Instant now, long batchEvents,
      long batchBytes) {
    String reason = "HistoryLimitExceeded: this workflow task would take the history to " + (lastEventId + batchEvents)
        + " events and " + (historyBytes + batchBytes) + " bytes of payloads; the limit is " + limits.historyEvents()
        + " events and " + limits.historyBytes() + " bytes; a workflow that runs this long should continue as new "
        + "(Workflow.continueAsNew) when Workflow.getInfo().isContinueAsNewSuggested() turns true, at "
        + WorkflowLimits.SUGGEST_CONTINUE_AS_NEW_EVENTS + " events or " + WorkflowLimits.SUGGEST_CONTINUE_AS_NEW_BYTES
        + " bytes";
    log.warn("terminating {} ({}): {}", run, context.info().workflowType(), reason);
    long id = lastEventId;
    List<HistoryEvent> events = new ArrayList<>(inbound.size() + 1);
    for (Event e : inbound) {
      events.add(new HistoryEvent(++id, now, e));
    }
    events.add(new HistoryEvent(++id, now, new Event.WorkflowExecutionTerminated(reason)));
    return new HistoryBatch(lastBatchSeq + 1, events, messageIds);
  }

  /** Logs once per run and level when a batch takes the history past Temporal's warn levels. */
  private void warnNearHistoryLimit(long batchEvents, long batchBytes) {
    long events = lastEventId + batchEvents;
    long bytes = historyBytes + batchBytes;
    if (lastEventId < limits.historyEventsWarn() && events >= limits.historyEventsWarn()) {
      log.warn("history of {} ({}) has {} events; at {} the run is terminated", run, context.info().workflowType(),
          events, limits.historyEvents());
    }
    if (historyBytes < limits.historyBytesWarn() && bytes >= limits.historyBytesWarn()) {
      log.warn("history of {} ({}) has {} bytes of payloads; at {} the run is terminated", run,
          context.info().workflowType(), bytes, limits.historyBytes());
    }
  }

  /**
   * Runs {@code work} (workflow code, or turning its commands into events) so that whatever goes
   * wrong fails the workflow task: a bare RuntimeException or Error would look like a transient
   * store error to the coordinator, which would redeliver the task forever.
   */
  private <T> T failingTheTask(Supplier<T> work) {
    try {
      return work.get();
    } catch (NonDeterministicWorkflowError | WorkflowTaskFailedException | PotentialDeadlockException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      throw new WorkflowTaskFailedException("WorkflowTaskError: the workflow task of " + context.info().workflowType()
          + " failed: " + e, e);
    }
  }

  /**
   * The updates the last {@link #runTask} rejected (by id, with the validator's failure): they are
   * not in its batch; the coordinator reports them to their callers.
   */
  public Map<String, FailureInfo> rejectedUpdates() {
    return rejectedUpdates;
  }

  /** The batch returned by {@link #runTask} was stored. */
  public void committed(HistoryBatch b) {
    if (b != uncommitted) {
      throw new IllegalStateException("committed a batch this runner did not produce");
    }
    uncommitted = null;
    advance(b);
  }

  public Payload query(String name, Payload args) {
    return driven(() -> context.query(name, args));
  }

  /**
   * Runs {@code work}, which hands turns to the workflow's virtual threads, on a virtual thread of
   * its own when the caller is a platform thread (a Lambda handler, the test engine's loop). A turn
   * handed between two virtual threads stays on one carrier; a platform thread would have to wake a
   * carrier for every turn and park itself, which made replays about 2.4x slower (ADR 2).
   */
  private static <T> T driven(Supplier<T> work) {
    if (Thread.currentThread().isVirtual()) {
      return work.get();
    }
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    Thread driver = Thread.ofVirtual().name("workflow driver").start(() -> {
      try {
        result[0] = work.get();
      } catch (Throwable t) {
        failure[0] = t;
      }
    });
    boolean interrupted = false;
    while (true) {
      try {
        driver.join();
        break;
      } catch (InterruptedException e) {
        // The turns in flight must finish before the runner can be touched again.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure[0] instanceof RuntimeException r) {
      throw r;
    }
    if (failure[0] instanceof Error e) {
      throw e;
    }
    if (failure[0] != null) {
      throw new IllegalStateException(failure[0]);
    }
    @SuppressWarnings("unchecked")
    T t = (T) result[0];
    return t;
  }

  @Override
  public void close() {
    context.destroy();
  }

  private List<Command> execute(List<Event> inbound, Instant time, boolean replaying,
      Map<Long, Event.MarkerRecorded> markers, Map<String, Integer> versions, int recordedCommands,
      long recordedPayloadBytes, long historyLength, long historySize) {
    context.beginTask(time, replaying, markers, versions, recordedCommands, recordedPayloadBytes, historyLength,
        historySize);
    for (Event e : inbound) {
      context.apply(e);
    }
    context.runUntilBlocked();
    return context.takeCommands();
  }

  /**
   * Checks the code's commands against the recorded ones, position by position. Version markers
   * are left out on both sides, as Temporal does: a replayed getVersion records one only when the
   * task has it, and a recorded one the code no longer asks for (a removed getVersion) is skipped.
   */
  private void match(List<Command> allCommands, List<HistoryEvent> allRecorded, Instant time, long taskEventId) {
    // Copies only when there are version markers: replay speed is measured (bin/bench).
    List<Command> commands = allCommands.stream().anyMatch(VersionMarker::isVersionMarker)
        ? allCommands.stream().filter(c -> !VersionMarker.isVersionMarker(c)).toList() : allCommands;
    List<HistoryEvent> recorded = allRecorded.stream().anyMatch(e -> VersionMarker.isVersionMarker(e.event()))
        ? allRecorded.stream().filter(e -> !VersionMarker.isVersionMarker(e.event())).toList() : allRecorded;
    int n = Math.max(commands.size(), recorded.size());
    for (int i = 0; i < n; i++) {
      Command c = i < commands.size() ? commands.get(i) : null;
      HistoryEvent r = i < recorded.size() ? recorded.get(i) : null;
      String produced = c == null ? null : Command.identity(c.toEvent(time));
      String expected = r == null ? null : Command.identity(r.event());
      if (!Objects.equals(produced, expected)) {
        String historySide = r == null
            ? "history has nothing after event " + (i == 0 ? taskEventId : recorded.get(i - 1).eventId())
            : "history has " + expected + " at event " + r.eventId();
        String codeSide = c == null ? "code produced nothing there" : "code " + c.describe();
        throw new NonDeterministicWorkflowError(historySide + ", " + codeSide + " (workflow "
            + context.info().workflowType() + ", run " + run + ")");
      }
    }
  }

  private void advance(HistoryBatch b) {
    for (String id : b.messageIds()) {
      consumedBy.put(id, b.seq());
    }
    for (HistoryEvent e : b.events()) {
      historyBytes += HistorySize.bytes(e.event());
      if (e.event() instanceof Event.WorkflowExecutionTerminated) {
        // A batch this runner made to end the run at the history limit (or a terminate it replayed).
        context.markClosed();
      }
    }
    openTimers.advance(b);
    lastBatchSeq = b.seq();
    lastEventId = b.lastEventId();
  }

  private static int indexOfTaskCompleted(List<HistoryEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).event() instanceof Event.WorkflowTaskCompleted) {
        return i;
      }
    }
    return -1;
  }
}
