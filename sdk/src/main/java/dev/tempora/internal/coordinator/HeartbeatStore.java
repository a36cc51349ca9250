package dev.tempora.internal.coordinator;

import dev.tempora.history.Payload;
import dev.tempora.internal.history.RunKey;
import java.time.Instant;
import java.util.Optional;

/** Port: activity heartbeats and cancellation requests (an item per activity in DynamoDB on AWS). */
public interface HeartbeatStore {
  /** Records a heartbeat; returns whether the workflow asked to cancel the activity. */
  boolean heartbeat(RunKey run, long seq, Payload details, Instant at);

  Optional<Payload> lastDetails(RunKey run, long seq);

  void requestCancel(RunKey run, long seq);

  boolean isCancelRequested(RunKey run, long seq);
}
