package dev.tempora.internal.replay;

import dev.tempora.history.Event;
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

/**
 * A live run of workflow code, positioned after the last history batch it applied. Replaying a
 * committed batch re-runs the code on the batch's inbound events and checks that the commands it
 * produces match the batch's command events; running a new task does the same on new events and
 * returns the batch to commit. A runner whose task threw, or whose batch failed to commit, must be
 * discarded ({@link #close()}): its state is ahead of history.
 */
public final class WorkflowRunner implements AutoCloseable {
  private final RunKey run;
  private RunRecord record;
  private final WorkflowContext context;
  private final Map<String, Integer> consumedBy = new HashMap<>();
  private final OpenTimers openTimers = new OpenTimers();
  private int lastBatchSeq;
  private long lastEventId;
  private HistoryBatch uncommitted;

  public WorkflowRunner(RunKey run, Event.WorkflowExecutionStarted started, WorkflowImplementation impl, long deadlockMillis) {
    this(run, null, started, impl, deadlockMillis);
  }

  /** A runner for a coordinator, which keeps the run record it was made from for its warm tasks. */
  public WorkflowRunner(RunRecord record, WorkflowImplementation impl, long deadlockMillis) {
    this(record.run(), record, record.startEvent(), impl, deadlockMillis);
  }

  private WorkflowRunner(RunKey run, RunRecord record, Event.WorkflowExecutionStarted started,
      WorkflowImplementation impl, long deadlockMillis) {
    this.run = run;
    this.record = record;
    WorkflowInfo info = new WorkflowInfo(run.namespace(), run.workflowId(), run.runId(), started.workflowType(),
        started.taskQueue());
    this.context = new WorkflowContext(info, impl, deadlockMillis);
  }

  public RunKey run() {
    return run;
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

  public boolean isClosed() {
    return context.isClosed();
  }

  /**
   * The lengths of the run's timers as of the last batch this runner applied: what the outbox
   * needs to dispatch that batch's cancels without cancelling timers that cannot exist.
   */
  public TimerLengths timerLengths() {
    return openTimers;
  }

  /** The seq of the committed batch that consumed this message, or null. */
  public Integer batchThatConsumed(String messageId) {
    return consumedBy.get(messageId);
  }

  public boolean accepts(WorkflowTaskMessage m) {
    return !consumedBy.containsKey(m.messageId()) && context.accepts(m.event());
  }

  /** Replays committed batches in order. Throws {@link NonDeterministicWorkflowError} on a mismatch. */
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
      for (HistoryEvent e : recorded) {
        if (e.event() instanceof Event.MarkerRecorded m) {
          markers.put(m.seq(), m);
        }
      }
      Instant time = b.events().get(wtc).timestamp();
      List<Event> inbound = new ArrayList<>(wtc);
      for (HistoryEvent e : b.events().subList(0, wtc)) {
        inbound.add(e.event());
      }
      List<Command> commands = execute(inbound, time, true, markers);
      match(commands, recorded, time, b.events().get(wtc).eventId());
    }
    advance(b);
  }

  /**
   * Runs a new workflow task on the given (accepted, distinct) messages at workflow time
   * {@code now}, and returns the batch to commit.
   */
  public HistoryBatch runTask(List<WorkflowTaskMessage> messages, Instant now) {
    return driven(() -> decide(messages, now));
  }

  private HistoryBatch decide(List<WorkflowTaskMessage> messages, Instant now) {
    if (uncommitted != null) {
      throw new IllegalStateException("previous task of " + run + " was not committed");
    }
    List<Event> inbound = new ArrayList<>(messages.size());
    for (WorkflowTaskMessage m : messages) {
      inbound.add(m.event());
    }
    List<Command> commands = execute(inbound, now, false, Map.of());
    long id = lastEventId;
    List<HistoryEvent> events = new ArrayList<>(inbound.size() + 1 + commands.size());
    for (Event e : inbound) {
      events.add(new HistoryEvent(++id, now, e));
    }
    events.add(new HistoryEvent(++id, now, new Event.WorkflowTaskCompleted()));
    for (Command c : commands) {
      events.add(new HistoryEvent(++id, now, c.toEvent(now)));
    }
    uncommitted = new HistoryBatch(lastBatchSeq + 1, events, messages.stream().map(WorkflowTaskMessage::messageId).toList());
    return uncommitted;
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
  private static <T> T driven(java.util.function.Supplier<T> work) {
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

  private List<Command> execute(List<Event> inbound, Instant time, boolean replaying, Map<Long, Event.MarkerRecorded> markers) {
    context.beginTask(time, replaying, markers);
    for (Event e : inbound) {
      context.apply(e);
    }
    context.runUntilBlocked();
    return context.takeCommands();
  }

  private void match(List<Command> commands, List<HistoryEvent> recorded, Instant time, long taskEventId) {
    int n = Math.max(commands.size(), recorded.size());
    for (int i = 0; i < n; i++) {
      Command c = i < commands.size() ? commands.get(i) : null;
      HistoryEvent r = i < recorded.size() ? recorded.get(i) : null;
      String produced = c == null ? null : Command.identity(c.toEvent(time));
      String expected = r == null ? null : Command.identity(r.event());
      if (!Objects.equals(produced, expected)) {
        String historySide = r == null
            ? "history has nothing after event " + (taskEventId + i)
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
