package dev.tempora.internal.replay;

import dev.tempora.internal.history.RunIds;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.history.WorkflowStartOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What workflow code asks for in a workflow task. Each command becomes one command event in the
 * task's batch; on replay, the command must have the same {@link #identity(Event) identity} as the
 * recorded event at the same position.
 */
public sealed interface Command {

  Event toEvent(Instant now);

  /** How the code's side reads in a non-determinism error: "scheduled activity ChargeCard#3". */
  String describe();

  record ScheduleActivity(long seq, String activityType, String taskQueue, Payload input, ActivityParameters parameters)
      implements Command {
    public Event toEvent(Instant now) { return new Event.ActivityTaskScheduled(seq, activityType, taskQueue, input, parameters); }
    public String describe() { return "scheduled activity " + activityType + "#" + seq; }
  }

  record StartTimer(long seq, Duration duration) implements Command {
    public Event toEvent(Instant now) { return new Event.TimerStarted(seq, duration, now.plus(duration)); }
    public String describe() { return "started timer #" + seq; }
  }

  record CancelTimer(long seq) implements Command {
    public Event toEvent(Instant now) { return new Event.TimerCanceled(seq); }
    public String describe() { return "cancelled timer #" + seq; }
  }

  record RequestCancelActivity(long seq) implements Command {
    public Event toEvent(Instant now) { return new Event.ActivityTaskCancelRequested(seq); }
    public String describe() { return "cancelled activity #" + seq; }
  }

  record RecordMarker(long seq, String markerName, Payload data) implements Command {
    public Event toEvent(Instant now) { return new Event.MarkerRecorded(seq, markerName, data); }
    public String describe() { return "recorded marker " + markerName + "#" + seq; }
  }

  record StartChild(long seq, String workflowId, String workflowType, String taskQueue, Payload input,
      WorkflowStartOptions options, String parentClosePolicy, String idReusePolicy) implements Command {
    public Event toEvent(Instant now) {
      return new Event.StartChildWorkflowExecutionInitiated(seq, workflowId, workflowType, taskQueue, input, options,
          parentClosePolicy, idReusePolicy);
    }
    public String describe() { return "started child workflow " + workflowType + "#" + seq; }
  }

  record SignalExternal(long seq, String workflowId, String runId, String signalName, Payload input) implements Command {
    public Event toEvent(Instant now) {
      return new Event.SignalExternalWorkflowExecutionInitiated(seq, workflowId, runId, signalName, input);
    }
    public String describe() { return "signalled " + signalName + "#" + seq + " to workflow " + workflowId; }
  }

  record RequestCancelExternal(long seq, String workflowId, String runId) implements Command {
    public Event toEvent(Instant now) { return new Event.RequestCancelExternalWorkflowExecutionInitiated(seq, workflowId, runId); }
    public String describe() { return "cancelled workflow " + workflowId + " #" + seq; }
  }

  record CompleteWorkflow(Payload result) implements Command {
    public Event toEvent(Instant now) { return new Event.WorkflowExecutionCompleted(result); }
    public String describe() { return "completed the workflow"; }
  }

  record FailWorkflow(FailureInfo failure) implements Command {
    public Event toEvent(Instant now) { return new Event.WorkflowExecutionFailed(failure); }
    public String describe() { return "failed the workflow"; }
  }

  /** {@code taskQueue} and {@code options}: what the code changed for the next run (null: carried over). */
  record ContinueAsNew(String newRunId, String workflowType, Payload input, String taskQueue,
      WorkflowStartOptions options) implements Command {
    public Event toEvent(Instant now) {
      return new Event.WorkflowExecutionContinuedAsNew(newRunId, workflowType, input, taskQueue, options);
    }
    public String describe() { return "continued as new"; }

    /** The next run's id: derived from the closing run's, so every decision of this close names the same run. */
    public static String runIdAfter(String runId) {
      return RunIds.derived(runId, "continue-as-new");
    }
  }

  record CancelWorkflow() implements Command {
    public Event toEvent(Instant now) { return new Event.WorkflowExecutionCanceled(); }
    public String describe() { return "cancelled the workflow"; }
  }

  record CompleteUpdate(String updateId, Payload result, FailureInfo failure) implements Command {
    public Event toEvent(Instant now) { return new Event.WorkflowExecutionUpdateCompleted(updateId, result, failure); }
    public String describe() { return "completed update " + updateId; }
  }

  /** {@code Workflow.upsertTypedSearchAttributes}: changes by name, a null value removes. */
  record UpsertSearchAttributes(long seq, Map<String, SearchAttributeValue> changes) implements Command {
    public Event toEvent(Instant now) { return new Event.UpsertWorkflowSearchAttributes(seq, changes); }
    public String describe() { return "upserted search attributes #" + seq; }
  }

  /** {@code Workflow.upsertMemo}: changes by key, a null payload removes. */
  record UpsertMemo(long seq, Map<String, Payload> changes) implements Command {
    public Event toEvent(Instant now) { return new Event.WorkflowPropertiesModified(seq, changes); }
    public String describe() { return "upserted memo #" + seq; }
  }

  /** Whether workflow code produced this event (it follows a WorkflowTaskCompleted). */
  static boolean isCommandEvent(Event e) {
    return identity(e) != null;
  }

  /**
   * The part of a command event that replay must reproduce: its kind and identity (activity type
   * and seq, timer seq, marker name and seq). Arguments and durations may change between versions.
   * Null for events that are not command events.
   */
  static String identity(Event e) {
    return switch (e) {
      case Event.ActivityTaskScheduled s -> "activity " + s.activityType() + "#" + s.seq();
      case Event.TimerStarted t -> "timer #" + t.seq();
      case Event.TimerCanceled t -> "timer cancellation #" + t.seq();
      case Event.ActivityTaskCancelRequested c -> "activity cancellation #" + c.seq();
      case Event.MarkerRecorded m -> "marker " + m.markerName() + "#" + m.seq();
      case Event.WorkflowExecutionCompleted c -> "workflow completion";
      case Event.WorkflowExecutionFailed f -> "workflow failure";
      case Event.WorkflowExecutionCanceled c -> "workflow cancellation";
      case Event.WorkflowExecutionContinuedAsNew c -> "continue-as-new";
      case Event.WorkflowExecutionStarted s -> null;
      case Event.WorkflowTaskCompleted w -> null;
      case Event.WorkflowExecutionTerminated t -> null;
      case Event.WorkflowExecutionTimedOut t -> null;
      case Event.WorkflowSignaled s -> null;
      case Event.WorkflowCancelRequested c -> null;
      case Event.ActivityTaskCompleted c -> null;
      case Event.ActivityTaskFailed f -> null;
      case Event.ActivityTaskTimedOut t -> null;
      case Event.ActivityTaskCanceled c -> null;
      case Event.TimerFired f -> null;
      case Event.WorkflowExecutionUpdateAccepted u -> null;
      case Event.WorkflowExecutionUpdateCompleted u -> "update completion " + u.updateId();
      case Event.StartChildWorkflowExecutionInitiated c -> "child workflow " + c.workflowType() + "#" + c.seq();
      case Event.SignalExternalWorkflowExecutionInitiated x -> "external signal " + x.signalName() + "#" + x.seq();
      case Event.RequestCancelExternalWorkflowExecutionInitiated x -> "external cancellation #" + x.seq();
      case Event.ChildWorkflowExecutionStarted c -> null;
      case Event.StartChildWorkflowExecutionFailed c -> null;
      case Event.ChildWorkflowExecutionCompleted c -> null;
      case Event.ChildWorkflowExecutionFailed c -> null;
      case Event.ChildWorkflowExecutionCanceled c -> null;
      case Event.ChildWorkflowExecutionTimedOut c -> null;
      case Event.ChildWorkflowExecutionTerminated c -> null;
      case Event.UpsertWorkflowSearchAttributes u -> "search attribute upsert #" + u.seq();
      case Event.WorkflowPropertiesModified m -> "memo upsert #" + m.seq();
    };
  }
}
