package dev.tempora.internal.replay;

import dev.tempora.failure.TimeoutType;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.workflow.WorkflowInfo;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs one attempt of a local activity for workflow code, in the coordinator's process. The
 * retry decisions are the workflow context's (they are recorded in the marker); this only calls
 * the registered implementation and enforces the attempt's start-to-close timeout.
 */
public interface LocalActivities {
  /** Where none are available (a replayer): replays never run local activities. */
  LocalActivities NONE = attempt -> new Outcome.Failed(new FailureInfo(FailureInfo.Kind.APPLICATION,
      "LocalActivitiesUnavailable", "local activity " + attempt.activityType() + " cannot run here: this runner only "
      + "replays", null, true, null, null, null, null, 0, null), null);

  /** {@code activityId}: the local activity's command seq, as text. {@code startToCloseTimeout} may be null. */
  record Attempt(WorkflowInfo workflow, String activityId, String activityType, Payload input, int attempt,
      Instant scheduledTime, Duration startToCloseTimeout) {}

  sealed interface Outcome {
    record Completed(Payload result) implements Outcome {}

    /** {@code timeout}: the attempt timed out (its failure is then the timeout's), else null. */
    record Failed(FailureInfo failure, TimeoutType timeout) implements Outcome {}
  }

  Outcome run(Attempt attempt);
}
