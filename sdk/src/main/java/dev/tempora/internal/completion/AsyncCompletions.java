package dev.tempora.internal.completion;

import dev.tempora.client.ActivityCanceledException;
import dev.tempora.client.ActivityCompletionFailureException;
import dev.tempora.client.ActivityNotExistsException;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.internal.coordinator.HeartbeatStore;
import dev.tempora.internal.coordinator.HistoryStore;
import dev.tempora.internal.coordinator.TimerService;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.worker.AttemptOutcomes;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Async activity completion (ADR 19): attempts that returned without a result wait in the
 * activity's heartbeat item until the holder of their task token (or ids) completes, fails,
 * cancels them, or one of their timeouts fires. Each of these first checks the attempt against
 * history (run open, activity scheduled and without outcome) and the attempt's state (it is the
 * newest attempt, and open), then takes the attempt's one outcome with a conditional write: the
 * first taker records, every later one is refused with {@code ActivityNotExists}, nothing recorded.
 * An outcome is recorded the way the worker's are ({@link AttemptOutcomes}): the result to the
 * workflow, a failure retried by the activity's policy.
 *
 * <p>Timeouts: going async sends the coordinator a deadline message, which arms a timer ({@link
 * TimerService}, so virtual and moved clocks skip to it) at the attempt's first deadline; these
 * messages carry the attempt and are taken off the workflow-task path by {@link #takeDeadlines}
 * before the coordinator decides. A heartbeat
 * deadline that heartbeats have moved re-arms the timer for the new one.
 */
public final class AsyncCompletions {
  private static final Logger log = LoggerFactory.getLogger(AsyncCompletions.class);
  private static final String DEADLINE = "/deadline/";

  private final String namespace;
  private final HistoryStore store;
  private final HeartbeatStore heartbeats;
  private final AttemptOutcomes outcomes;
  private final TimerService timers;
  private final InstantSource clock;
  private final TaskTokens tokens;

  public AsyncCompletions(String namespace, HistoryStore store, HeartbeatStore heartbeats, AttemptOutcomes outcomes,
      TimerService timers, InstantSource clock, TaskTokens tokens) {
    this.namespace = namespace;
    this.store = store;
    this.heartbeats = heartbeats;
    this.outcomes = outcomes;
    this.timers = timers;
    this.clock = clock;
    this.tokens = tokens;
  }

  /** The same engine side, sending outcomes through another workflow-task port (a test backend's). */
  public AsyncCompletions withResults(dev.tempora.internal.coordinator.WorkflowTaskQueue results) {
    return new AsyncCompletions(namespace, store, heartbeats, outcomes.withResults(results), timers, clock, tokens);
  }

  public String namespace() {
    return namespace;
  }

  // ---- the worker's side

  public byte[] token(ActivityTask task) {
    return tokens.sign(new TaskToken(task.run().namespace(), task.run().workflowId(), task.run().runId(), task.seq(),
        task.attempt()));
  }

  /** The attempt's method returned with doNotCompleteOnReturn at {@code startedAt}'s attempt. */
  public void wentAsync(ActivityTask task, Instant startedAt) {
    heartbeats.markAsync(task.run(), task.seq(), task.attempt(), startedAt);
    ActivityParameters p = task.parameters();
    Deadline d = firstDeadline(p, task.scheduledTime(), startedAt, null);
    if (d != null) {
      // The coordinator arms the deadline's timer on this message (it holds the timer and Scheduler
      // permissions; an activity worker only sends to its own queue and the workflow-task queue).
      outcomes.send(deadlineMessage(task.run(), task.seq(), task.attempt(), d, "/arm"));
    }
  }

  // ---- the completion client's side

  /** What a token names, if this engine signed it ({@code InvalidTaskToken} otherwise). */
  public TaskToken verify(byte[] token) {
    TaskToken t = tokens.verify(token);
    if (!t.namespace().equals(namespace)) {
      throw new ActivityCompletionFailureException(TaskTokens.INVALID, "the task token is for namespace '"
          + t.namespace() + "', not this client's '" + namespace + "'");
    }
    return t;
  }

  /** The newest attempt of an activity named by ids (run id null or empty: the current run). */
  public TaskToken byId(String workflowId, String runId, String activityId) {
    long seq;
    try {
      seq = Long.parseLong(activityId);
    } catch (NumberFormatException | NullPointerException e) {
      throw new ActivityNotExistsException("no activity '" + activityId + "' in workflow '" + workflowId
          + "' (activity ids are the numbers describe shows)");
    }
    RunKey run;
    if (runId == null || runId.isEmpty()) {
      run = store.currentRun(namespace, workflowId).map(RunRecord::run).orElseThrow(() ->
          new ActivityNotExistsException("no workflow '" + workflowId + "'"));
    } else {
      run = new RunKey(namespace, workflowId, runId);
    }
    int latest = heartbeats.attemptState(run, seq, 1).latestAttempt();
    if (latest < 1) {
      throw new ActivityNotExistsException("activity " + activityId + " of workflow '" + workflowId
          + "' has no running attempt");
    }
    return new TaskToken(namespace, workflowId, run.runId(), seq, latest);
  }

  public void complete(TaskToken t, Payload result) {
    Attempt a = take(t);
    outcomes.report(a.task(), new Event.ActivityTaskCompleted(t.seq(), result, t.attempt()));
  }

  /** A failure from outside: retried by the activity's policy, as a thrown one is. */
  public void fail(TaskToken t, Throwable failure) {
    Attempt a = take(t);
    outcomes.retryOrFail(a.task(), failure, null, heartbeats.lastDetails(t.run(), t.seq()).orElse(null));
  }

  public void reportCancellation(TaskToken t, Payload details) {
    Attempt a = take(t);
    outcomes.report(a.task(), new Event.ActivityTaskCanceled(t.seq(), t.attempt()));
  }

  /** Records progress (resetting the heartbeat timeout); refused for an attempt that is not open. */
  public void heartbeat(TaskToken t, Payload details) {
    check(t);
    if (heartbeats.heartbeat(t.run(), t.seq(), details, clock.instant())) {
      throw new ActivityCanceledException("activity " + t.seq() + " of workflow '" + t.workflowId()
          + "': the workflow asked to cancel it, or its run closed");
    }
  }

  private record Scheduled(Event.ActivityTaskScheduled event, Instant time) {}

  private record Attempt(ActivityTask task, HeartbeatStore.AttemptState state) {}

  /** Checks the attempt is open, then takes its outcome: the first taker wins. */
  private Attempt take(TaskToken t) {
    Attempt a = check(t);
    if (!heartbeats.closeAttempt(t.run(), t.seq(), t.attempt())) {
      throw closed(t);
    }
    return a;
  }

  private Attempt check(TaskToken t) {
    RunRecord record = store.getRun(t.run()).orElseThrow(() -> new ActivityNotExistsException(
        "no run " + t.runId() + " of workflow '" + t.workflowId() + "'"));
    if (record.status().isClosed()) {
      throw new ActivityNotExistsException("the run " + t.runId() + " of workflow '" + t.workflowId() + "' is closed ("
          + record.status() + ")");
    }
    Scheduled s = openActivity(t.run(), t.seq()).orElseThrow(() -> new ActivityNotExistsException(
        "activity " + t.seq() + " of workflow '" + t.workflowId() + "' is not open (unknown, or it has its outcome)"));
    HeartbeatStore.AttemptState state = heartbeats.attemptState(t.run(), t.seq(), t.attempt());
    if (state.closed() || state.latestAttempt() != t.attempt()) {
      throw closed(t);
    }
    return new Attempt(attemptTask(t, s, heartbeats.lastDetails(t.run(), t.seq()).orElse(null)), state);
  }

  private static ActivityNotExistsException closed(TaskToken t) {
    return new ActivityNotExistsException("attempt " + t.attempt() + " of activity " + t.seq() + " of workflow '"
        + t.workflowId() + "' is closed (completed, timed out or replaced by a later attempt)");
  }

  private static ActivityTask attemptTask(TaskToken t, Scheduled s, Payload details) {
    Event.ActivityTaskScheduled e = s.event();
    return new ActivityTask(t.run(), t.seq(), e.activityType(), e.taskQueue(), e.input(), e.parameters(), s.time(),
        t.attempt(), null, details);
  }

  /** The activity's scheduling, if history has it and no outcome for it. */
  private Optional<Scheduled> openActivity(RunKey run, long seq) {
    Scheduled found = null;
    for (HistoryBatch b : store.readHistory(run, 0)) {
      for (HistoryEvent he : b.events()) {
        switch (he.event()) {
          case Event.ActivityTaskScheduled s when s.seq() == seq -> found = new Scheduled(s, he.timestamp());
          case Event.ActivityTaskCompleted c when c.seq() == seq -> found = null;
          case Event.ActivityTaskFailed f when f.seq() == seq -> found = null;
          case Event.ActivityTaskTimedOut o when o.seq() == seq -> found = null;
          case Event.ActivityTaskCanceled c when c.seq() == seq -> found = null;
          default -> { }
        }
      }
    }
    return Optional.ofNullable(found);
  }

  // ---- timeouts while the token is held

  private record Deadline(TimeoutType type, Instant at) {}

  private static Deadline firstDeadline(ActivityParameters p, Instant scheduled, Instant started, Instant lastHeartbeat) {
    Deadline first = null;
    if (p.startToCloseTimeout() != null) {
      first = earlier(first, new Deadline(TimeoutType.START_TO_CLOSE, started.plus(p.startToCloseTimeout())));
    }
    if (p.scheduleToCloseTimeout() != null) {
      first = earlier(first, new Deadline(TimeoutType.SCHEDULE_TO_CLOSE, scheduled.plus(p.scheduleToCloseTimeout())));
    }
    if (p.heartbeatTimeout() != null) {
      Instant since = lastHeartbeat != null && lastHeartbeat.isAfter(started) ? lastHeartbeat : started;
      first = earlier(first, new Deadline(TimeoutType.HEARTBEAT, since.plus(p.heartbeatTimeout())));
    }
    return first;
  }

  private static Deadline earlier(Deadline a, Deadline b) {
    return a == null || b.at().isBefore(a.at()) ? b : a;
  }

  /** {@code again}: distinguishes a re-armed deadline's timer id (an id already fired is not scheduled again). */
  private void arm(RunKey run, long seq, int attempt, Deadline d, String again) {
    WorkflowTaskMessage m = deadlineMessage(run, seq, attempt, d, again);
    timers.schedule(m.messageId(), d.at(), m);
  }

  private static WorkflowTaskMessage deadlineMessage(RunKey run, long seq, int attempt, Deadline d, String suffix) {
    String id = run.runId() + "/a/" + seq + DEADLINE + attempt + "/" + d.at().toEpochMilli() + suffix;
    return new WorkflowTaskMessage(id, run, new Event.ActivityTaskTimedOut(seq, d.type(), null, attempt));
  }

  /** Whether a workflow-task message is an async attempt's deadline (not an outcome to record). */
  public static boolean isDeadline(WorkflowTaskMessage m) {
    return m.event() instanceof Event.ActivityTaskTimedOut && m.messageId().contains(DEADLINE);
  }

  /**
   * Handles the deadline messages among a workflow's messages and returns the others. A deadline
   * for an attempt that has its outcome is dropped; one that heartbeats moved is re-armed; one due
   * times the attempt out (if it takes the outcome first), retried by the policy.
   */
  public List<WorkflowTaskMessage> takeDeadlines(List<WorkflowTaskMessage> messages) {
    if (messages.stream().noneMatch(AsyncCompletions::isDeadline)) {
      return messages;
    }
    List<WorkflowTaskMessage> rest = new ArrayList<>();
    for (WorkflowTaskMessage m : messages) {
      if (isDeadline(m)) {
        deadline(m.run(), (Event.ActivityTaskTimedOut) m.event());
      } else {
        rest.add(m);
      }
    }
    return rest;
  }

  private void deadline(RunKey run, Event.ActivityTaskTimedOut e) {
    TaskToken t = new TaskToken(run.namespace(), run.workflowId(), run.runId(), e.seq(), e.attempt());
    Attempt a;
    try {
      a = check(t);
    } catch (ActivityNotExistsException done) {
      return; // completed, canceled, failed, or its run closed: nothing to time out
    }
    if (a.state().asyncSince() == null) {
      return;
    }
    ActivityTask task = a.task();
    Deadline d = firstDeadline(task.parameters(), task.scheduledTime(), a.state().asyncSince(), a.state().lastHeartbeat());
    Instant now = clock.instant();
    if (d == null) {
      return;
    }
    if (now.isBefore(d.at())) {
      arm(run, e.seq(), e.attempt(), d, "/after/" + now.toEpochMilli()); // early (a Scheduler lead), or heartbeats moved it
      return;
    }
    if (!heartbeats.closeAttempt(run, e.seq(), e.attempt())) {
      return; // completed from outside at this moment: that outcome stands
    }
    log.info("async activity {} attempt {} of {} timed out ({})", e.seq(), e.attempt(), run, d.type());
    outcomes.retryOrFail(task, new TimeoutFailure(d.type(), null), d.type(), task.lastHeartbeatDetails());
  }
}
