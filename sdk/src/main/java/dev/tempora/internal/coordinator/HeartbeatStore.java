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

  /** Whether this delivery may run the attempt, and whether cancellation was already requested. */
  record Claim(boolean won, boolean cancelRequested) {}

  /**
   * Claims attempt {@code attempt} of an activity for one delivery. The first delivery id to claim
   * an attempt wins it, and keeps winning (a redelivery of the same message after a worker died
   * runs it again); another delivery of the same attempt (an outbox re-send: activity queues do not
   * deduplicate) loses and must not run it.
   */
  Claim claimAttempt(RunKey run, long seq, int attempt, String deliveryId);

  boolean isCancelRequested(RunKey run, long seq);
}
