package dev.tempora.internal.coordinator;

import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.internal.history.RunKey;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Port: activity heartbeats and cancellation requests (an item per activity in DynamoDB on AWS). */
public interface HeartbeatStore {
  /**
   * Records a heartbeat; returns whether the activity must stop: the workflow asked to cancel it,
   * or its run closed (see {@link #runClosed}).
   */
  boolean heartbeat(RunKey run, long seq, Payload details, Instant at);

  Optional<Payload> lastDetails(RunKey run, long seq);

  void requestCancel(RunKey run, long seq);

  /**
   * Whether this delivery may run the attempt, whether cancellation was already requested, and
   * whether the activity's run is closed (then no attempt may start, as in Temporal).
   */
  record Claim(boolean won, boolean cancelRequested, boolean runClosed) {}

  /**
   * Claims attempt {@code attempt} of an activity for one delivery. The first delivery id to claim
   * an attempt wins it, and keeps winning (a redelivery of the same message after a worker died
   * runs it again); another delivery of the same attempt (an outbox re-send: activity queues do not
   * deduplicate) loses and must not run it.
   */
  Claim claimAttempt(RunKey run, long seq, int attempt, String deliveryId);

  boolean isCancelRequested(RunKey run, long seq);

  /**
   * The run closed (completed, failed, canceled, terminated, continued as new): its activities'
   * running attempts learn it at their next heartbeat. Called by whoever closes the run, after the
   * close is stored; an attempt claimed later sees the closed run in its {@link Claim}.
   * {@code openActivities}: the activities the run's history leaves open, the only ones told (none:
   * nothing to do); null if unknown, then every activity of the run is looked up and told.
   */
  void runClosed(RunKey run, Set<Long> openActivities);

  /** {@link #runClosed(RunKey, Set)} without knowing the run's open activities. */
  default void runClosed(RunKey run) {
    runClosed(run, null);
  }

  // ---- async activity completion (ADR 19): an attempt left open by doNotCompleteOnReturn

  /**
   * An attempt as async completion sees it: the newest attempt any delivery claimed (0: none),
   * whether this attempt is closed (an outcome was taken for it), since when it waits for an
   * outside completion (null: it did not return yet, or completes on return), the last heartbeat's
   * time, the cancel flag and whether the run closed.
   */
  record AttemptState(int latestAttempt, boolean closed, Instant asyncSince, Instant lastHeartbeat,
      boolean cancelRequested, boolean runClosed) {}

  default AttemptState attemptState(RunKey run, long seq, int attempt) {
    throw new UnsupportedOperationException("this store has no async completion");
  }

  /** The attempt returned without a result at {@code startedAt}'s attempt: it waits for an outside completion. */
  default void markAsync(RunKey run, long seq, int attempt, Instant startedAt) {
    throw new UnsupportedOperationException("this store has no async completion");
  }

  /**
   * Takes the one outcome of an attempt that may complete elsewhere: true for the first caller
   * (the completion client, a timeout, or the worker itself), false for every later one.
   */
  default boolean closeAttempt(RunKey run, long seq, int attempt) {
    throw new UnsupportedOperationException("this store has no async completion");
  }

  // ---- what describe shows of a pending activity (issue 15)

  /**
   * A pending activity's progress beyond its history: the current attempt (the newest claimed or
   * scheduled), the last attempt's failure (stack traces left out), when the next attempt is due
   * (null: none waiting), and the last heartbeat's details and time.
   */
  record ActivityProgress(int attempt, FailureInfo lastFailure, Instant nextAttemptScheduleTime,
      Payload heartbeatDetails, Instant lastHeartbeatTime) {}

  /** Attempt {@code nextAttempt - 1} failed with {@code failure}; the next one is due at {@code nextAttemptTime}. */
  default void recordRetry(RunKey run, long seq, int nextAttempt, FailureInfo failure, Instant nextAttemptTime) {}

  /** The activity's progress, or empty if no attempt was claimed or retried yet. */
  default Optional<ActivityProgress> progress(RunKey run, long seq) {
    return Optional.empty();
  }

  /** The failure as describe keeps it: no stack traces (they stay in the logs), messages cut at 2,000 characters. */
  static FailureInfo forDescribe(FailureInfo f) {
    if (f == null) {
      return null;
    }
    String message = f.message() != null && f.message().length() > 2000 ? f.message().substring(0, 2000) + "..." : f.message();
    return new FailureInfo(f.kind(), f.type(), message, null, f.nonRetryable(), f.detailsJson(), f.timeoutType(),
        f.activityType(), f.activityId(), f.attempt(), forDescribe(f.cause()));
  }
}
