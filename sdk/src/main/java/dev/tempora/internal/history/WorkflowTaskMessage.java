package dev.tempora.internal.history;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tempora.history.Event;

/**
 * An inbound event for a workflow run, as it travels on the workflow-task queue. {@code messageId}
 * is deterministic for its cause (a run's start, an activity's outcome, a timer, a signal request),
 * so a retried send is recognised as the same message.
 *
 * <p>A message without an event is a wake-up: it records nothing and only makes the coordinator
 * retry the run's parked workflow task (after a backoff, or because a new deployment arrived).
 */
public record WorkflowTaskMessage(String messageId, RunKey run, Event event) {

  /** A wake-up for the run's parked task; its id names the attempt, so FIFO deduplication merges repeats. */
  public static WorkflowTaskMessage wakeUp(RunKey run, String reason) {
    return new WorkflowTaskMessage(run.runId() + "/wake/" + reason, run, null);
  }

  /** A signal's message: its id is the run's and the request id's, so a retried signal is the same message. */
  public static WorkflowTaskMessage signal(RunKey run, Event.WorkflowSignaled signal) {
    return new WorkflowTaskMessage(run.runId() + "/signal/" + signal.requestId(), run, signal);
  }

  @JsonIgnore
  public boolean isWakeUp() {
    return event == null;
  }
}
