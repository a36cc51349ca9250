package dev.tempora.internal.aws;

import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.Payload;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Messages and tasks for the adapter tests; run ids are fresh so FIFO deduplication history never leaks between tests. */
final class SqsFixtures {
  private SqsFixtures() {}

  static RunKey run(String workflowId) {
    return new RunKey("ns", workflowId, UUID.randomUUID().toString());
  }

  static WorkflowTaskMessage signal(RunKey run, String id, String payloadJson) {
    return new WorkflowTaskMessage(run.runId() + "/signal/" + id, run,
        new Event.WorkflowSignaled("s", new Payload(payloadJson), id));
  }

  static WorkflowTaskMessage timerFired(RunKey run, long seq) {
    return new WorkflowTaskMessage(run.runId() + "/t/" + seq, run, new Event.TimerFired(seq));
  }

  static ActivityTask activity(RunKey run, String taskQueue, String inputJson) {
    ActivityParameters params = new ActivityParameters(null, Duration.ofSeconds(30), null, null,
        new ActivityParameters.RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 3, java.util.List.of()));
    return new ActivityTask(run, 5, "Charge", taskQueue, new Payload(inputJson), params,
        Instant.parse("2026-01-01T00:00:00Z"), 1, null, null);
  }
}
