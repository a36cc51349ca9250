package dev.tempora.internal.worker;

import dev.tempora.activity.ActivityExecutionContext;
import dev.tempora.activity.ActivityInfo;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.history.Payload;
import dev.tempora.internal.completion.AsyncCompletions;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.coordinator.HeartbeatStore;
import dev.tempora.internal.history.ActivityTask;
import java.time.InstantSource;
import java.util.Optional;

final class ActivityContextImpl implements ActivityExecutionContext {
  private final ActivityTask task;
  private final HeartbeatStore heartbeats;
  private final InstantSource clock;
  private volatile long lastHeartbeatNanos = System.nanoTime();
  private volatile Payload lastDetails;
  private final AsyncCompletions async;
  private volatile boolean tokenIssued;
  private volatile boolean doNotCompleteOnReturn;

  private final DataConverter converter;

  ActivityContextImpl(ActivityTask task, HeartbeatStore heartbeats, InstantSource clock, AsyncCompletions async,
      DataConverter converter) {
    this.async = async;
    this.converter = converter;
    this.task = task;
    this.heartbeats = heartbeats;
    this.clock = clock;
    this.lastDetails = task.lastHeartbeatDetails();
  }

  @Override
  public ActivityInfo getInfo() {
    return new ActivityInfo(task.run().namespace(), task.run().workflowId(), task.run().runId(), task.activityId(),
        task.activityType(), task.taskQueue(), task.attempt(), task.scheduledTime());
  }

  @Override
  public void heartbeat(Object details) {
    Payload p = converter.toPayload(details);
    lastDetails = p;
    lastHeartbeatNanos = System.nanoTime();
    if (heartbeats.heartbeat(task.run(), task.seq(), p, clock.instant())) {
      throw new CanceledFailure("activity " + task.activityType() + "#" + task.seq()
          + " canceled: the workflow requested it, or its run closed");
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> Optional<V> getHeartbeatDetails(Class<V> type) {
    Payload p = lastDetails;
    return p == null ? Optional.empty() : Optional.ofNullable((V) converter.fromPayload(p, type));
  }

  long lastHeartbeatNanos() {
    return lastHeartbeatNanos;
  }

  Payload lastDetails() {
    return lastDetails;
  }

  @Override
  public byte[] getTaskToken() {
    if (async == null) {
      throw new UnsupportedOperationException("this worker has no task tokens");
    }
    tokenIssued = true;
    return async.token(task);
  }

  @Override
  public void doNotCompleteOnReturn() {
    if (async == null) {
      throw new UnsupportedOperationException("this worker cannot complete activities asynchronously");
    }
    doNotCompleteOnReturn = true;
  }

  @Override
  public boolean isDoNotCompleteOnReturn() {
    return doNotCompleteOnReturn;
  }

  /** A token left this attempt, or it returns without a result: its outcome must be taken once (ADR 19). */
  boolean mayCompleteElsewhere() {
    return tokenIssued || doNotCompleteOnReturn;
  }
}
