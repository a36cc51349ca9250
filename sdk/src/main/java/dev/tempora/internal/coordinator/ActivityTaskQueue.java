package dev.tempora.internal.coordinator;

import dev.tempora.internal.history.ActivityTask;
import java.time.Duration;

/** Port: the activity task queues (one SQS standard queue per task queue name on AWS). */
public interface ActivityTaskQueue {
  /** Sends an attempt, visible after {@code delay} (retry backoff). A re-sent task id is dropped. */
  void send(ActivityTask task, Duration delay);
}
