package dev.tempora.internal.history;

import dev.tempora.history.ActivityParameters;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import java.time.Instant;

/**
 * One attempt of an activity, as it travels on an activity task queue. Retries are new attempts
 * sent by the worker with a backoff delay; only the final outcome goes back to the workflow.
 */
public record ActivityTask(
    RunKey run,
    long seq,
    String activityType,
    String taskQueue,
    Payload input,
    ActivityParameters parameters,
    Instant scheduledTime,
    int attempt,
    FailureInfo lastFailure,
    Payload lastHeartbeatDetails) {

  /** Deterministic per attempt: a re-sent attempt is recognised as a duplicate. */
  public String taskId() {
    return run.runId() + "/a/" + seq + "/" + attempt;
  }

  public String activityId() {
    return Long.toString(seq);
  }

  public ActivityTask nextAttempt(FailureInfo failure, Payload heartbeatDetails) {
    return new ActivityTask(run, seq, activityType, taskQueue, input, parameters, scheduledTime, attempt + 1,
        failure, heartbeatDetails);
  }
}
