package dev.tempora.internal.coordinator;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowIdReusePolicy;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.ParentExecution;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.TimerLengths;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what a committed batch asks for: activity tasks, timers (and activity timeout timers),
 * cancellations, and the run's closing status. Every send is idempotent, so a batch can be
 * dispatched again after a crash between commit and send.
 *
 * <p>Cancels go only to timers that may exist, with their length, when the caller knows the run's
 * timers ({@link TimerLengths}): an activity without a schedule-to-close timeout has no timer to
 * cancel, and on AWS a timer that went on SQS has no schedule to delete. Without that knowledge
 * (a batch re-read for a re-send) every timer the batch closes is cancelled, length unknown.
 */
public final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final String EARLY = "/early/";

  private final HistoryStore store;
  private final ActivityTaskQueue activities;
  private final TimerService timers;
  private final HeartbeatStore heartbeats;
  private volatile RunCloseListener closeListener = RunCloseListener.NONE;
  /** Set once wiring is done: the workflow service is made after the processor that owns this outbox. */
  private volatile OtherWorkflows others = OtherWorkflows.NONE;

  public Outbox(HistoryStore store, ActivityTaskQueue activities, TimerService timers, HeartbeatStore heartbeats) {
    this.store = store;
    this.activities = activities;
    this.timers = timers;
    this.heartbeats = heartbeats;
  }

  /** Who is told of each close after it is written (the schedules). */
  public void onClose(RunCloseListener listener) {
    this.closeListener = listener == null ? RunCloseListener.NONE : listener;
  }

  /** Connects the port through which commands on other workflows (children, signals, cancels) go. */
  public void connect(OtherWorkflows others) {
    this.others = others;
  }

  /** Re-sends a batch read back from the store, knowing nothing about the run's timers. */
  public void dispatch(RunRecord record, HistoryBatch batch) {
    dispatch(record, batch, TimerLengths.UNKNOWN);
  }

  /**
   * Sends what {@code batch} asks for. {@code lengths} tells the timers of its run; it is used
   * only if it {@link TimerLengths#covers covers} exactly this batch, otherwise ignored.
   */
  public void dispatch(RunRecord record, HistoryBatch batch, TimerLengths lengths) {
    RunKey run = record.run();
    TimerLengths known = lengths.covers(batch) ? lengths : null;
    for (HistoryEvent he : batch.events()) {
      Instant at = he.timestamp();
      switch (he.event()) {
        case Event.ActivityTaskScheduled s -> {
          activities.send(new ActivityTask(run, s.seq(), s.activityType(), s.taskQueue(), s.input(), s.parameters(),
              at, 1, null, null), Duration.ZERO);
          Duration stc = s.parameters().scheduleToCloseTimeout();
          if (stc != null) {
            timers.schedule(activityTimeoutId(run, s.seq()), at.plus(stc), new WorkflowTaskMessage(
                activityTimeoutId(run, s.seq()), run,
                new Event.ActivityTaskTimedOut(s.seq(), TimeoutType.SCHEDULE_TO_CLOSE, null, 0)));
          }
        }
        case Event.ActivityTaskCompleted c -> cancelActivityTimeout(run, c.seq(), known);
        case Event.ActivityTaskFailed f -> cancelActivityTimeout(run, f.seq(), known);
        case Event.ActivityTaskTimedOut t -> cancelActivityTimeout(run, t.seq(), known);
        case Event.ActivityTaskCanceled c -> cancelActivityTimeout(run, c.seq(), known);
        case Event.ActivityTaskCancelRequested c -> {
          heartbeats.requestCancel(run, c.seq());
          cancelActivityTimeout(run, c.seq(), known);
        }
        case Event.TimerStarted t -> timers.schedule(timerId(run, t.seq()), t.fireTime(),
            new WorkflowTaskMessage(timerId(run, t.seq()), run, new Event.TimerFired(t.seq())));
        case Event.TimerCanceled c -> timers.cancel(timerId(run, c.seq()), known == null ? null : known.timerLength(c.seq()));
        case Event.WorkflowExecutionCompleted c ->
            close(record, c, WorkflowExecutionStatus.COMPLETED, at, cron(record, c, at), known);
        case Event.WorkflowExecutionFailed f ->
            close(record, f, WorkflowExecutionStatus.FAILED, at, retryOrCron(record, f, at), known);
        case Event.WorkflowExecutionCanceled c -> close(record, c, WorkflowExecutionStatus.CANCELED, at, false, known);
        case Event.WorkflowExecutionTerminated t -> close(record, t, WorkflowExecutionStatus.TERMINATED, at, false, known);
        case Event.WorkflowExecutionTimedOut t ->
            close(record, t, WorkflowExecutionStatus.TIMED_OUT, at, retryOrCron(record, t, at), known);
        case Event.WorkflowExecutionContinuedAsNew c -> {
          close(record, c, WorkflowExecutionStatus.CONTINUED_AS_NEW, at, false, known);
          startContinued(record.run(), c, at);
        }
        case Event.WorkflowExecutionStarted s -> scheduleRunTimeout(record);
        case Event.WorkflowTaskCompleted w -> { }
        case Event.WorkflowSignaled s -> { }
        case Event.WorkflowCancelRequested c -> { }
        case Event.TimerFired f -> { }
        case Event.MarkerRecorded m -> { }
        case Event.WorkflowExecutionUpdateAccepted u -> { }
        case Event.WorkflowExecutionUpdateCompleted u -> { }
        case Event.StartChildWorkflowExecutionInitiated c -> startChild(run, c, at);
        case Event.SignalExternalWorkflowExecutionInitiated x -> {
          try {
            others.signal(run.namespace(), x.workflowId(), x.runId(), x.signalName(), x.input(),
                ChildRelations.requestId(run, x.seq()));
          } catch (WorkflowNotFoundException e) {
            // As Temporal's signal of a closed or unknown workflow: the command is recorded, nothing more happens.
            log.info("signal {} of {} not delivered: {}", x.signalName(), run, e.getMessage());
          }
        }
        case Event.RequestCancelExternalWorkflowExecutionInitiated x -> {
          try {
            others.requestCancel(run.namespace(), x.workflowId(), x.runId(), ChildRelations.requestId(run, x.seq()));
          } catch (WorkflowNotFoundException e) {
            log.info("cancel request of {} to {} not delivered: {}", run, x.workflowId(), e.getMessage());
          }
        }
        case Event.ChildWorkflowExecutionStarted c -> { }
        case Event.StartChildWorkflowExecutionFailed c -> { }
        case Event.ChildWorkflowExecutionCompleted c -> { }
        case Event.ChildWorkflowExecutionFailed c -> { }
        case Event.ChildWorkflowExecutionCanceled c -> { }
        case Event.ChildWorkflowExecutionTimedOut c -> { }
        case Event.ChildWorkflowExecutionTerminated c -> { }
        case Event.UpsertWorkflowSearchAttributes u ->
            store.upsertSearchAttributes(run, u.searchAttributes(), he.eventId());
        case Event.WorkflowPropertiesModified m -> { }
      }
    }
  }

  /**
   * Cancels activity {@code seq}'s schedule-to-close timer: with its length if known, not at all
   * if the run's timers are known and the activity has none (nothing was ever scheduled).
   */
  private void cancelActivityTimeout(RunKey run, long seq, TimerLengths known) {
    if (known == null) {
      timers.cancel(activityTimeoutId(run, seq), null);
      return;
    }
    Duration length = known.timerLength(seq);
    if (length != null) {
      timers.cancel(activityTimeoutId(run, seq), length);
    }
  }

  /**
   * Sends a message that arrived before it may be applied (a timer's firing, a timeout, a start
   * that must wait for its backoff) back through the timers, to arrive again at {@code at}, as a
   * message of its own: its id (and timer id) names this early arrival ({@code now}), because the
   * first id is spent (the workflow-task queue deduplicates by message id for 5 minutes, an
   * in-memory timer fires once). Whichever copy comes first is applied; the rest are stale.
   */
  public void deferEarly(WorkflowTaskMessage early, Instant at, Instant now) {
    String id = early.messageId();
    int mark = id.indexOf(EARLY);
    String deferred = (mark < 0 ? id : id.substring(0, mark)) + EARLY + now.toEpochMilli();
    timers.schedule(deferred, at, new WorkflowTaskMessage(deferred, early.run(), early.event()));
  }

  /**
   * Schedules a wake-up of the run's parked workflow task at {@code at}, through the timers, so it
   * is as durable as a workflow timer. {@code reason} names the attempt (or the deployment): the
   * same wake-up scheduled twice is one timer.
   */
  public void wakeUp(RunKey run, Instant at, String reason) {
    WorkflowTaskMessage wake = WorkflowTaskMessage.wakeUp(run, reason);
    timers.schedule(wake.messageId(), at, wake);
  }

  /**
   * One conditional write, no read: the record's other fields are fixed at the start. Then the
   * run's running activities are told, so they stop at their next heartbeat: only those history
   * leaves open when the run's timers are {@code known} (usually none, so no call at all).
   */
  private void close(RunRecord record, Event closing, WorkflowExecutionStatus status, Instant at, boolean retried,
      TimerLengths known) {
    store.closeRun(record.closed(status, at));
    heartbeats.runClosed(record.run(), known == null ? null : known.openActivities());
    closeRelations(record, closing, retried, known == null || known.mayHaveChildren());
    if (status != WorkflowExecutionStatus.TIMED_OUT) {
      Instant deadline = runDeadline(record);
      if (deadline != null) {
        // The run closed before its deadline: recall the timeout (one that fires anyway finds the run closed).
        timers.cancel(runTimeoutId(record.run()), Duration.between(record.startTime(), deadline));
      }
    }
    try {
      closeListener.closed(record, status);
    } catch (RuntimeException e) {
      log.warn("close listener failed for {}: {}", record.run(), e.toString());
    }
  }

  /**
   * A closed child tells its parent (unless a retry of it goes on); a closed parent applies the
   * close policy of its open children, which it reads from its history (only if it may have any:
   * a runner that followed the history knows; a re-sent batch does not).
   */
  private void closeRelations(RunRecord record, Event closing, boolean retried, boolean mayHaveChildren) {
    WorkflowTaskMessage toParent = retried ? null : ChildRelations.closeToParent(record.startEvent(), closing);
    if (toParent != null) {
      others.send(toParent);
    }
    if (mayHaveChildren && others != OtherWorkflows.NONE) {
      ChildRelations.applyParentClosePolicy(record.run(), store.readHistory(record.run(), 0), others);
    }
  }

  /**
   * Starts the child of command {@code c} (idempotent: its run id is fixed by this run and the
   * command) and tells this run the outcome, under one message id however often it is sent.
   */
  private void startChild(RunKey run, Event.StartChildWorkflowExecutionInitiated c, Instant at) {
    RunKey child = new RunKey(run.namespace(), c.workflowId(), ChildRelations.childRunId(run, c.seq()));
    long seed = UUID.nameUUIDFromBytes(child.runId().getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
    Event.WorkflowExecutionStarted start = new Event.WorkflowExecutionStarted(c.workflowType(), c.taskQueue(),
        c.input(), seed, null, c.options(), new ParentExecution(run.namespace(), run.workflowId(), run.runId(), c.seq()));
    String failed = others.startChild(child, start, WorkflowIdReusePolicy.valueOf(c.idReusePolicy()));
    Event outcome = failed == null ? new Event.ChildWorkflowExecutionStarted(c.seq(), c.workflowId(), child.runId())
        : new Event.StartChildWorkflowExecutionFailed(c.seq(), c.workflowId(), failed);
    others.send(new WorkflowTaskMessage(ChildRelations.startOutcomeId(run, c.seq()), run, outcome));
  }

  /** A retry if the retry policy says so, else the next cron run if any; whether a next run follows. */
  private boolean retryOrCron(RunRecord record, Event closing, Instant at) {
    return retry(record, closing, at) || cron(record, closing, at);
  }

  /**
   * Starts the run that retries this one, if its retry policy says so ({@link WorkflowRetry}).
   * Returns whether it does.
   */
  private boolean retry(RunRecord record, Event closing, Instant at) {
    Optional<Duration> backoff = WorkflowRetry.backoff(record.startEvent(), closing, at);
    if (backoff.isEmpty()) {
      return false;
    }
    Event.WorkflowExecutionStarted s = record.startEvent();
    return startNext(record, WorkflowRetry.nextRun(record.run()), s.startOptions().nextAttempt(backoff.get()), at,
        "retry");
  }

  /** Starts the next run of a cron workflow ({@link CronSchedule}), waiting for its fire time; whether it does. */
  private boolean cron(RunRecord record, Event closing, Instant at) {
    return CronSchedule.next(record.startEvent(), closing, at)
        .map(options -> startNext(record, CronSchedule.nextRun(record.run()), options, at, "cron")).orElse(false);
  }

  /**
   * Starts {@code next}, which follows the closed run (a retry, a cron run): stores it as the id's
   * current run (before the closed record says closed, so a client that sees the close finds the
   * next run) and schedules its start message after its first task's backoff. Idempotent: a
   * re-dispatch finds the next run stored and schedules the same timer; a start by a client that got
   * there first wins, and nothing follows (false).
   */
  private boolean startNext(RunRecord record, RunKey next, WorkflowStartOptions options, Instant at, String why) {
    Event.WorkflowExecutionStarted s = record.startEvent();
    Event.WorkflowExecutionStarted started = new Event.WorkflowExecutionStarted(s.workflowType(), s.taskQueue(),
        s.input(), s.randomSeed() * 31 + s.startOptions().attempt(), record.run().runId(), options, s.parent());
    RunRecord nextRecord = new RunRecord(next, s.workflowType(), s.taskQueue(), WorkflowExecutionStatus.RUNNING, at,
        null, started, null);
    try {
      store.createRun(nextRecord, record.run().runId());
    } catch (ConcurrentUpdateException e) {
      if (store.getRun(next).isEmpty()) {
        return false; // the id moved on without this run (a client's start)
      }
    }
    String timerId = next.runId() + "/start/" + why;
    Duration backoff = options.firstWorkflowTaskBackoff() == null ? Duration.ZERO : options.firstWorkflowTaskBackoff();
    timers.schedule(timerId, at.plus(backoff), new WorkflowTaskMessage(timerId, next, started));
    return true;
  }


  /**
   * Sends the start message of the run a continue-as-new made (committed with the close, {@link
   * HistoryStore#appendBatchStartingRun}), through the timers, due now. Idempotent: the message has
   * the id a client start's has, the stream relay may send it too, and a run applies one start.
   */
  private void startContinued(RunKey closed, Event.WorkflowExecutionContinuedAsNew c, Instant at) {
    RunKey next = new RunKey(closed.namespace(), closed.workflowId(), c.newRunId());
    store.getRun(next).ifPresent(r -> {
      String id = ContinuedRun.startMessageId(next);
      timers.schedule(id, at, new WorkflowTaskMessage(id, next, r.startEvent()));
    });
  }

  /** Sends messages on to the workflow-task queue through the timers, due now (ids are the messages'). */
  public void forward(List<WorkflowTaskMessage> messages) {
    for (WorkflowTaskMessage m : messages) {
      timers.schedule(m.messageId(), Instant.EPOCH, m);
    }
  }

  /**
   * Schedules the run's timeout, if its start set one (run timeout, execution timeout): a message
   * that closes the run as timed out if it is still open then. Idempotent, like every timer.
   */
  public void scheduleRunTimeout(RunRecord record) {
    Instant deadline = runDeadline(record);
    if (deadline != null) {
      String id = runTimeoutId(record.run());
      timers.schedule(id, deadline, new WorkflowTaskMessage(id, record.run(), new Event.WorkflowExecutionTimedOut()));
    }
  }

  /** When the run must have closed, as its start event says; null if it has no timeout. */
  public static Instant runDeadline(RunRecord record) {
    return record.startEvent() == null ? null : record.startEvent().startOptions().runDeadline(record.startTime());
  }

  /** The run timeout's timer and message id: one per run, so redeliveries and re-sends are one timeout. */
  public static String runTimeoutId(RunKey run) {
    return run.runId() + "/timeout";
  }

  /** Timer ids are per run and seq: deterministic, so re-sends and cancels name the same timer. */
  public static String timerId(RunKey run, long seq) {
    return run.runId() + "/t/" + seq;
  }

  public static String activityTimeoutId(RunKey run, long seq) {
    return run.runId() + "/a/" + seq + "/timeout";
  }
}
