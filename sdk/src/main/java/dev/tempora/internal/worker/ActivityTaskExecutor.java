package dev.tempora.internal.worker;

import dev.tempora.common.interceptors.ActivityInboundCallsInterceptor;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Event;
import dev.tempora.history.Payload;
import dev.tempora.internal.completion.AsyncCompletions;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.PayloadTooLargeException;
import dev.tempora.internal.coordinator.ActivityTaskQueue;
import dev.tempora.internal.coordinator.HeartbeatStore;
import dev.tempora.internal.coordinator.WorkflowTaskQueue;
import dev.tempora.internal.history.ActivityTask;
import dev.tempora.internal.observe.EngineMetrics;
import dev.tempora.internal.observe.TemporaMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.MDC;

/**
 * Runs one activity attempt and decides what follows: the result goes to the workflow; a failure
 * is retried by re-sending the task with the policy's backoff, unless it is non-retryable, out of
 * attempts or past the schedule-to-close deadline, in which case the final failure goes to the
 * workflow. Start-to-close and heartbeat timeouts are enforced here, per attempt.
 */
public final class ActivityTaskExecutor implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ActivityTaskExecutor.class);
  private static final long HEARTBEAT_CHECK_MILLIS = 50;

  private sealed interface Outcome {}
  private record Completed(Payload result) implements Outcome {}
  private record Failed(Throwable failure, TimeoutType timeout) implements Outcome {}
  private record Canceled() implements Outcome {}

  private final ActivityRegistry registry;
  private final HeartbeatStore heartbeats;
  private final InstantSource clock;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final AttemptOutcomes outcomes;
  /** Task tokens and attempts that complete from outside; null: activities cannot complete asynchronously. */
  private final AsyncCompletions async;
  private final TemporaMetrics metrics;

  public ActivityTaskExecutor(ActivityRegistry registry, WorkflowTaskQueue results, ActivityTaskQueue retries,
      HeartbeatStore heartbeats, InstantSource clock) {
    this(registry, results, retries, heartbeats, clock, null);
  }

  public ActivityTaskExecutor(ActivityRegistry registry, WorkflowTaskQueue results, ActivityTaskQueue retries,
      HeartbeatStore heartbeats, InstantSource clock, AsyncCompletions async) {
    this(registry, results, retries, heartbeats, clock, async, new TemporaMetrics(EngineMetrics.NONE));
  }

  /** With metrics (issue 15): attempts, schedule-to-start latency, failures and retries. */
  public ActivityTaskExecutor(ActivityRegistry registry, WorkflowTaskQueue results, ActivityTaskQueue retries,
      HeartbeatStore heartbeats, InstantSource clock, AsyncCompletions async, TemporaMetrics metrics) {
    this.registry = registry;
    this.heartbeats = heartbeats;
    this.clock = clock;
    this.outcomes = new AttemptOutcomes(results, retries, clock, heartbeats, metrics);
    this.async = async;
    this.metrics = metrics;
  }

  /** Runs an attempt that arrived once (the in-memory queues deduplicate by task id). */
  public void execute(ActivityTask task) {
    execute(task, task.taskId());
  }

  /**
   * Runs an attempt delivered as {@code deliveryId} (the SQS message id), unless another delivery
   * of the same attempt already claimed it: an outbox re-send after a redelivered workflow task.
   */
  public void execute(ActivityTask task, String deliveryId) {
    ActivityParameters p = task.parameters();
    HeartbeatStore.Claim claim = heartbeats.claimAttempt(task.run(), task.seq(), task.attempt(), deliveryId);
    if (!claim.won()) {
      log.debug("attempt {} already claimed by another delivery; {} skipped", task.taskId(), deliveryId);
      return;
    }
    if (claim.runClosed()) {
      // As in Temporal, no attempt starts once the run is closed, and nobody waits for an outcome.
      log.debug("attempt {} not started: its run is closed", task.taskId());
      return;
    }
    if (claim.cancelRequested()) {
      report(task, new Event.ActivityTaskCanceled(task.seq(), task.attempt()));
      return;
    }
    if (task.attempt() == 1 && p.scheduleToStartTimeout() != null
        && clock.instant().isAfter(task.scheduledTime().plus(p.scheduleToStartTimeout()))) {
      // Not retried, as in Temporal: another attempt would wait in the same queue.
      report(task, new Event.ActivityTaskTimedOut(task.seq(), TimeoutType.SCHEDULE_TO_START, null, task.attempt()));
      return;
    }
    Instant startedAt = clock.instant();
    // Schedule-to-start is the first attempt's wait in the queue (a retry's includes its backoff).
    metrics.activityAttempt(task.taskQueue(), task.attempt() == 1
        ? (double) Math.max(0, Duration.between(task.scheduledTime(), startedAt).toMillis()) : null);
    ActivityContextImpl context = new ActivityContextImpl(task, heartbeats, clock, async, registry.dataConverter());
    Outcome outcome = runAttempt(task, context);
    if (context.mayCompleteElsewhere()) {
      if (outcome instanceof Completed && context.isDoNotCompleteOnReturn()) {
        async.wentAsync(task, startedAt); // the token's holder completes it, or a timeout does
        return;
      }
      if (!heartbeats.closeAttempt(task.run(), task.seq(), task.attempt())) {
        log.debug("attempt {} was completed through its task token first; its own outcome dropped", task.taskId());
        return;
      }
    }
    switch (outcome) {
      case Completed c -> report(task, new Event.ActivityTaskCompleted(task.seq(), c.result(), task.attempt()));
      case Canceled c -> report(task, new Event.ActivityTaskCanceled(task.seq(), task.attempt()));
      case Failed f -> retryOrFail(task, f, context.lastDetails());
    }
  }

  private Outcome runAttempt(ActivityTask task, ActivityContextImpl context) {
    Optional<ActivityRegistry.Entry> entry = registry.get(task.activityType());
    if (entry.isEmpty()) {
      return new Failed(ApplicationFailure.newFailure("activity type '" + task.activityType()
          + "' is not registered on task queue '" + task.taskQueue() + "' (registered: " + registry.types() + ")",
          "ActivityTypeNotRegistered"), null);
    }
    ActivityRegistry.Entry e = entry.get();
    // The activity's own log events carry the attempt's MDC fields (workflowId, activityId, attempt...).
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    Future<Payload> future = threads.submit(() -> {
      ActivityContextHolder.set(context);
      if (mdc != null) {
        MDC.setContextMap(mdc);
      }
      try {
        DataConverter converter = registry.dataConverter();
        Object[] args = e.arguments(task.input(), converter);
        Object result = RootActivityInbound.chain(registry, e, context)
            .execute(new ActivityInboundCallsInterceptor.ActivityInput(args)).result();
        return resultPayload(task, result, converter);
      } catch (RootActivityInbound.ActivityCodeException ace) {
        Throwable cause = ace.getCause();
        if (cause instanceof Exception ex) {
          throw ex;
        }
        throw new ExecutionException(cause);
      } finally {
        ActivityContextHolder.clear();
        MDC.clear();
      }
    });
    ActivityParameters p = task.parameters();
    long start = System.nanoTime();
    long startToCloseNanos = p.startToCloseTimeout() == null ? Long.MAX_VALUE : p.startToCloseTimeout().toNanos();
    long heartbeatNanos = p.heartbeatTimeout() == null ? Long.MAX_VALUE : p.heartbeatTimeout().toNanos();
    while (true) {
      try {
        return new Completed(future.get(HEARTBEAT_CHECK_MILLIS, TimeUnit.MILLISECONDS));
      } catch (TimeoutException te) {
        long now = System.nanoTime();
        if (now - start >= startToCloseNanos) {
          future.cancel(true);
          return new Failed(new TimeoutFailure(TimeoutType.START_TO_CLOSE, null), TimeoutType.START_TO_CLOSE);
        }
        if (now - context.lastHeartbeatNanos() >= heartbeatNanos) {
          future.cancel(true);
          return new Failed(new TimeoutFailure(TimeoutType.HEARTBEAT, null), TimeoutType.HEARTBEAT);
        }
      } catch (ExecutionException ee) {
        Throwable cause = ee.getCause() instanceof ExecutionException inner ? inner.getCause() : ee.getCause();
        if (cause instanceof CanceledFailure) {
          return new Canceled();
        }
        return new Failed(cause, null);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        future.cancel(true);
        return new Failed(new IllegalStateException("worker interrupted"), null);
      }
    }
  }

  /**
   * The result as a payload. One over the limit fails the activity, non-retryable: another attempt
   * would make the same result (the oversize argument fails the same way in the workflow).
   */
  private static Payload resultPayload(ActivityTask task, Object result, DataConverter converter) {
    try {
      return converter.toPayload(result);
    } catch (PayloadTooLargeException tooLarge) {
      throw ApplicationFailure.fromRecord("result of activity " + task.activityType() + ": " + tooLarge.getMessage(),
          "PayloadTooLarge", true, "[]", null, tooLarge);
    }
  }

  private void retryOrFail(ActivityTask task, Failed f, Payload heartbeatDetails) {
    outcomes.retryOrFail(task, f.failure(), f.timeout(), heartbeatDetails);
  }

  private void report(ActivityTask task, Event outcome) {
    outcomes.report(task, outcome);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
