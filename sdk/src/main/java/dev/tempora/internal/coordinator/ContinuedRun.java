package dev.tempora.internal.coordinator;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.Payload;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The run a continue-as-new starts, as Temporal makes it: same workflow id, the type and input the
 * code gave, an empty history, and the closing run's start options carried over (the execution
 * timeout's expiration included, so it bounds the whole chain) except what the code changed (task
 * queue, run timeout, retry policy, memo). Its attempt starts again at 1.
 */
public final class ContinuedRun {
  private ContinuedRun() {}

  /** The record of the run that {@code closing}, committed at {@code at}, starts after {@code record}'s run. */
  public static RunRecord next(RunRecord record, Event.WorkflowExecutionContinuedAsNew closing, Instant at) {
    Event.WorkflowExecutionStarted s = record.startEvent();
    WorkflowStartOptions o = s == null ? WorkflowStartOptions.NONE : s.startOptions();
    WorkflowStartOptions asked = closing.options() == null ? WorkflowStartOptions.NONE : closing.options();
    Duration runTimeout = asked.workflowRunTimeout() != null ? asked.workflowRunTimeout() : o.workflowRunTimeout();
    ActivityParameters.RetryPolicy retry = asked.retryPolicy() != null ? asked.retryPolicy() : o.retryPolicy();
    Map<String, Payload> memo = asked.memo().isEmpty() ? o.memo() : asked.memo();
    WorkflowStartOptions options = new WorkflowStartOptions(o.workflowExecutionTimeout(), runTimeout,
        o.workflowExecutionExpirationTime(), retry, memo)
        .withSearchAttributes(asked.searchAttributes().isEmpty() ? o.searchAttributes() : asked.searchAttributes());
    String taskQueue = closing.taskQueue() != null ? closing.taskQueue() : record.taskQueue();
    RunKey next = new RunKey(record.run().namespace(), record.run().workflowId(), closing.newRunId());
    UUID seed = UUID.fromString(closing.newRunId());
    Event.WorkflowExecutionStarted started = new Event.WorkflowExecutionStarted(closing.workflowType(), taskQueue,
        closing.input(), seed.getMostSignificantBits() ^ seed.getLeastSignificantBits(), record.run().runId(),
        options.equals(WorkflowStartOptions.NONE) ? null : options,
        // A child's chain reports to its parent when its last run closes, as in Temporal.
        record.startEvent() == null ? null : record.startEvent().parent());
    return new RunRecord(next, closing.workflowType(), taskQueue, WorkflowExecutionStatus.RUNNING, at, null, started,
        null);
  }

  /** The start message of a continued run: the same id as a client start's, so every send of it is one message. */
  public static String startMessageId(RunKey run) {
    return run.runId() + "/start";
  }
}
