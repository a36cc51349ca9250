package dev.tempora.internal.coordinator;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends what a committed batch asks for: activity tasks, timers (and activity timeout timers),
 * cancellations, and the run's closing status. Every send is idempotent, so a batch can be
 * dispatched again after a crash between commit and send.
 */
public final class Outbox {
  private final HistoryStore store;
  private final ActivityTaskQueue activities;
  private final TimerService timers;
  private final HeartbeatStore heartbeats;

  public Outbox(HistoryStore store, ActivityTaskQueue activities, TimerService timers, HeartbeatStore heartbeats) {
    this.store = store;
    this.activities = activities;
    this.timers = timers;
    this.heartbeats = heartbeats;
  }

  public void dispatch(RunRecord record, HistoryBatch batch) {
    RunKey run = record.run();
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
        case Event.ActivityTaskCompleted c -> timers.cancel(activityTimeoutId(run, c.seq()));
        case Event.ActivityTaskFailed f -> timers.cancel(activityTimeoutId(run, f.seq()));
        case Event.ActivityTaskTimedOut t -> timers.cancel(activityTimeoutId(run, t.seq()));
        case Event.ActivityTaskCanceled c -> timers.cancel(activityTimeoutId(run, c.seq()));
        case Event.ActivityTaskCancelRequested c -> {
          heartbeats.requestCancel(run, c.seq());
          timers.cancel(activityTimeoutId(run, c.seq()));
        }
        case Event.TimerStarted t -> timers.schedule(timerId(run, t.seq()), t.fireTime(),
            new WorkflowTaskMessage(timerId(run, t.seq()), run, new Event.TimerFired(t.seq())));
        case Event.TimerCanceled c -> timers.cancel(timerId(run, c.seq()));
        case Event.WorkflowExecutionCompleted c -> close(record, WorkflowExecutionStatus.COMPLETED, at);
        case Event.WorkflowExecutionFailed f -> close(record, WorkflowExecutionStatus.FAILED, at);
        case Event.WorkflowExecutionCanceled c -> close(record, WorkflowExecutionStatus.CANCELED, at);
        case Event.WorkflowExecutionTerminated t -> close(record, WorkflowExecutionStatus.TERMINATED, at);
        case Event.WorkflowExecutionContinuedAsNew c -> close(record, WorkflowExecutionStatus.CONTINUED_AS_NEW, at);
        case Event.WorkflowExecutionStarted s -> { }
        case Event.WorkflowTaskCompleted w -> { }
        case Event.WorkflowSignaled s -> { }
        case Event.WorkflowCancelRequested c -> { }
        case Event.TimerFired f -> { }
        case Event.MarkerRecorded m -> { }
      }
    }
  }

  private void close(RunRecord record, WorkflowExecutionStatus status, Instant at) {
    RunRecord current = store.getRun(record.run()).orElse(record);
    if (!current.status().isClosed()) {
      store.updateRun(current.closed(status, at));
    }
  }

  /** Timer ids are per run and seq: deterministic, so re-sends and cancels name the same timer. */
  public static String timerId(RunKey run, long seq) {
    return run.runId() + "/t/" + seq;
  }

  public static String activityTimeoutId(RunKey run, long seq) {
    return run.runId() + "/a/" + seq + "/timeout";
  }
}
