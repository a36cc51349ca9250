package dev.tempora.history;

import dev.tempora.failure.TimeoutType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a history event records. Events fall in two groups: <em>inbound</em> events (a start,
 * an activity outcome, a timer firing, a signal, a cancel request) that are fed to the workflow,
 * and <em>command</em> events the workflow's code produced in a workflow task, which follow the
 * task's {@link WorkflowTaskCompleted}. Commands are identified by {@code seq}, a per-run counter
 * the code advances in its own deterministic order.
 */
public sealed interface Event {

  /** A short, stable description used in logs, printed histories and non-determinism errors. */
  String describe();

  // ---- lifecycle ----
  /**
   * {@code options}: timeouts, retry policy and memo of the start; null when none was given.
   * {@code parent}: the run that started this one as a child (its close is reported there); null otherwise.
   */
  record WorkflowExecutionStarted(
      String workflowType, String taskQueue, Payload input, long randomSeed, String continuedFromRunId,
      WorkflowStartOptions options, ParentExecution parent)
      implements Event {
    public WorkflowExecutionStarted(String workflowType, String taskQueue, Payload input, long randomSeed,
        String continuedFromRunId) {
      this(workflowType, taskQueue, input, randomSeed, continuedFromRunId, null, null);
    }

    public WorkflowExecutionStarted(String workflowType, String taskQueue, Payload input, long randomSeed,
        String continuedFromRunId, WorkflowStartOptions options) {
      this(workflowType, taskQueue, input, randomSeed, continuedFromRunId, options, null);
    }

    /** The start's options, {@link WorkflowStartOptions#NONE} when none were given. */
    public WorkflowStartOptions startOptions() {
      return options == null ? WorkflowStartOptions.NONE : options;
    }

    public String describe() { return "WorkflowExecutionStarted " + workflowType + " " + input; }
  }

  /** Ends a workflow task; the task's command events follow it. Its timestamp is the task's workflow time. */
  record WorkflowTaskCompleted() implements Event {
    public String describe() { return "WorkflowTaskCompleted"; }
  }

  record WorkflowExecutionCompleted(Payload result) implements Event {
    public String describe() { return "WorkflowExecutionCompleted " + result; }
  }

  record WorkflowExecutionFailed(FailureInfo failure) implements Event {
    public String describe() { return "WorkflowExecutionFailed " + failure.summary(); }
  }

  record WorkflowExecutionCanceled() implements Event {
    public String describe() { return "WorkflowExecutionCanceled"; }
  }

  record WorkflowExecutionTerminated(String reason) implements Event {
    public String describe() { return "WorkflowExecutionTerminated " + reason; }
  }

  /**
   * The run was still open at its deadline (run timeout, or the execution timeout's expiration):
   * the engine closed it, as Temporal does; workflow code does not run again.
   */
  record WorkflowExecutionTimedOut() implements Event {
    public String describe() { return "WorkflowExecutionTimedOut"; }
  }

  /**
   * The run closed by continuing as new: run {@code newRunId} of the same workflow id started with
   * {@code input}, atomically with this close. {@code taskQueue} and {@code options} (run timeout,
   * retry policy, memo) are what the code changed for the next run; null (or an empty memo) means
   * carried over from this run's start.
   */
  record WorkflowExecutionContinuedAsNew(String newRunId, String workflowType, Payload input, String taskQueue,
      WorkflowStartOptions options) implements Event {
    public WorkflowExecutionContinuedAsNew(String newRunId, String workflowType, Payload input) {
      this(newRunId, workflowType, input, null, null);
    }

    public String describe() { return "WorkflowExecutionContinuedAsNew " + workflowType + " " + newRunId; }
  }

  // ---- external input ----
  record WorkflowSignaled(String signalName, Payload input, String requestId) implements Event {
    public String describe() { return "WorkflowSignaled " + signalName + " " + input; }
  }

  record WorkflowCancelRequested(String reason) implements Event {
    public String describe() { return "WorkflowCancelRequested " + reason; }
  }

  // ---- activities ----
  record ActivityTaskScheduled(
      long seq, String activityType, String taskQueue, Payload input, ActivityParameters parameters)
      implements Event {
    public String describe() { return "ActivityTaskScheduled " + activityType + "#" + seq; }
  }

  record ActivityTaskCompleted(long seq, Payload result, int attempt) implements Event {
    public String describe() { return "ActivityTaskCompleted #" + seq + " attempt " + attempt + " " + result; }
  }

  record ActivityTaskFailed(long seq, FailureInfo failure, int attempt) implements Event {
    public String describe() { return "ActivityTaskFailed #" + seq + " attempt " + attempt + " " + failure.summary(); }
  }

  record ActivityTaskTimedOut(long seq, TimeoutType timeoutType, FailureInfo lastFailure, int attempt)
      implements Event {
    public String describe() { return "ActivityTaskTimedOut #" + seq + " " + timeoutType; }
  }

  record ActivityTaskCancelRequested(long seq) implements Event {
    public String describe() { return "ActivityTaskCancelRequested #" + seq; }
  }

  record ActivityTaskCanceled(long seq, int attempt) implements Event {
    public String describe() { return "ActivityTaskCanceled #" + seq; }
  }

  // ---- timers ----
  record TimerStarted(long seq, Duration duration, Instant fireTime) implements Event {
    public String describe() { return "TimerStarted #" + seq + " " + duration; }
  }

  record TimerFired(long seq) implements Event {
    public String describe() { return "TimerFired #" + seq; }
  }

  record TimerCanceled(long seq) implements Event {
    public String describe() { return "TimerCanceled #" + seq; }
  }

  // ---- markers (side effects; later: versions, local activities) ----
  record MarkerRecorded(long seq, String markerName, Payload data) implements Event {
    public String describe() { return "MarkerRecorded " + markerName + "#" + seq + " " + data; }
  }

  // ---- updates ----
  /**
   * An update its validator passed (or that has none): its handler runs. A rejected update is not
   * recorded. {@code updateId} is the caller's or the client's: a repeated id is not run again.
   */
  record WorkflowExecutionUpdateAccepted(String updateId, String updateName, Payload input) implements Event {
    public String describe() { return "WorkflowExecutionUpdateAccepted " + updateName + " " + updateId + " " + input; }
  }

  /** The update's handler returned {@code result} or failed with {@code failure} (the other is null). */
  record WorkflowExecutionUpdateCompleted(String updateId, Payload result, FailureInfo failure) implements Event {
    public String describe() {
      return "WorkflowExecutionUpdateCompleted " + updateId + " " + (failure == null ? result : failure.summary());
    }
  }

  // ---- child workflows (seq: the parent's command counter) ----
  /** A child's start, as the parent's code asked for it; {@code parentClosePolicy} and {@code idReusePolicy} by name. */
  record StartChildWorkflowExecutionInitiated(long seq, String workflowId, String workflowType, String taskQueue,
      Payload input, WorkflowStartOptions options, String parentClosePolicy, String idReusePolicy)
      implements Event {
    public String describe() { return "StartChildWorkflowExecutionInitiated " + workflowType + "#" + seq + " " + workflowId; }
  }

  record ChildWorkflowExecutionStarted(long seq, String workflowId, String runId) implements Event {
    public String describe() { return "ChildWorkflowExecutionStarted #" + seq + " " + workflowId; }
  }

  /** {@code cause}: a name and what happened ({@code WorkflowExecutionAlreadyStarted: ...}). */
  record StartChildWorkflowExecutionFailed(long seq, String workflowId, String cause) implements Event {
    public String describe() { return "StartChildWorkflowExecutionFailed #" + seq + " " + cause; }
  }

  record ChildWorkflowExecutionCompleted(long seq, Payload result) implements Event {
    public String describe() { return "ChildWorkflowExecutionCompleted #" + seq + " " + result; }
  }

  record ChildWorkflowExecutionFailed(long seq, FailureInfo failure) implements Event {
    public String describe() { return "ChildWorkflowExecutionFailed #" + seq + " " + failure.summary(); }
  }

  record ChildWorkflowExecutionCanceled(long seq) implements Event {
    public String describe() { return "ChildWorkflowExecutionCanceled #" + seq; }
  }

  record ChildWorkflowExecutionTimedOut(long seq) implements Event {
    public String describe() { return "ChildWorkflowExecutionTimedOut #" + seq; }
  }

  record ChildWorkflowExecutionTerminated(long seq, String reason) implements Event {
    public String describe() { return "ChildWorkflowExecutionTerminated #" + seq + " " + reason; }
  }

  // ---- other workflows (external stubs, a child's stub) ----
  /** {@code runId}: the run to signal, or null for the id's open run. Sent once, as request id {@code <run>/x/<seq>}. */
  record SignalExternalWorkflowExecutionInitiated(long seq, String workflowId, String runId, String signalName,
      Payload input) implements Event {
    public String describe() { return "SignalExternalWorkflowExecutionInitiated " + signalName + "#" + seq + " " + workflowId; }
  }

  /** {@code runId}: the run to cancel, or null for the id's open run. */
  record RequestCancelExternalWorkflowExecutionInitiated(long seq, String workflowId, String runId) implements Event {
    public String describe() { return "RequestCancelExternalWorkflowExecutionInitiated #" + seq + " " + workflowId; }
  }

  // ---- visibility (search attributes and memo changed by workflow code) ----
  /**
   * {@code Workflow.upsertTypedSearchAttributes}: the attributes set (a value) or removed (a null
   * value), by name; the visibility store applies them when the batch is dispatched.
   */
  record UpsertWorkflowSearchAttributes(long seq, Map<String, SearchAttributeValue> searchAttributes)
      implements Event {
    public String describe() { return "UpsertWorkflowSearchAttributes #" + seq + " " + searchAttributes.keySet(); }
  }

  /** {@code Workflow.upsertMemo}: memo entries set (a payload) or removed (a null payload), by key. */
  record WorkflowPropertiesModified(long seq, Map<String, Payload> upsertedMemo) implements Event {
    public String describe() { return "WorkflowPropertiesModified #" + seq + " " + upsertedMemo.keySet(); }
  }
}
