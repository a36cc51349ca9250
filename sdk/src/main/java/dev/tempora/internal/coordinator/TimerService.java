package dev.tempora.internal.coordinator;

import dev.tempora.internal.history.WorkflowTaskMessage;
import java.time.Instant;

/**
 * Port: durable timers (SQS delays and EventBridge Scheduler on AWS). Scheduling an id that is
 * already scheduled or fired does nothing, so an outbox re-send is harmless.
 */
public interface TimerService {
  void schedule(String timerId, Instant fireAt, WorkflowTaskMessage message);

  void cancel(String timerId);
}
