package dev.tempora.internal.worker;

import dev.tempora.activity.ActivityExecutionContext;
import dev.tempora.activity.ActivityInfo;
import dev.tempora.common.interceptors.ActivityInboundCallsInterceptor;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.FailureConverter;
import dev.tempora.internal.converter.PayloadTooLargeException;
import dev.tempora.internal.replay.LocalActivities;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs local activity attempts in the coordinator's process, with the activities registered
 * there (on AWS the coordinator Lambda loads the same {@code WorkerSetup} as the activity
 * workers). An attempt runs on a thread of its own so its start-to-close timeout can stop the wait.
 */
public final class LocalActivityExecutor implements LocalActivities, AutoCloseable {
  private final ActivityRegistry registry;
  /** Named so a test (or a thread dump) can tell a local activity's thread from an activity worker's. */
  private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("local activity ", 1).factory());

  public LocalActivityExecutor(ActivityRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Outcome run(Attempt a) {
    Optional<ActivityRegistry.Entry> entry = registry.get(a.activityType());
    if (entry.isEmpty()) {
      return new Outcome.Failed(FailureConverter.toInfo(ApplicationFailure.newFailure("local activity type '"
          + a.activityType() + "' is not registered with the coordinator (registered: " + registry.types() + ")",
          "ActivityTypeNotRegistered")), null);
    }
    ActivityRegistry.Entry e = entry.get();
    Future<Payload> future = threads.submit(() -> {
      // The registry's converter: the workflow encoded the input with its worker's, and decodes the result so.
      DataConverter converter = registry.dataConverter();
      LocalContext context = new LocalContext(a, converter);
      ActivityContextHolder.set(context);
      try {
        // As a queued attempt: a dynamic activity serves unregistered types, through the worker's interceptors.
        Object[] args = e.arguments(a.input(), converter);
        Object result = RootActivityInbound.chain(registry, e, context)
            .execute(new ActivityInboundCallsInterceptor.ActivityInput(args)).result();
        return result(a, converter, result);
      } catch (RootActivityInbound.ActivityCodeException ace) {
        if (ace.getCause() instanceof Exception ex) {
          throw ex;
        }
        throw new ExecutionException(ace.getCause());
      } finally {
        ActivityContextHolder.clear();
      }
    });
    try {
      Payload result = a.startToCloseTimeout() == null ? future.get()
          : future.get(a.startToCloseTimeout().toNanos(), TimeUnit.NANOSECONDS);
      return new Outcome.Completed(result);
    } catch (TimeoutException te) {
      future.cancel(true);
      return new Outcome.Failed(FailureConverter.toInfo(new TimeoutFailure(TimeoutType.START_TO_CLOSE, null)),
          TimeoutType.START_TO_CLOSE);
    } catch (ExecutionException ee) {
      Throwable cause = ee.getCause() instanceof ExecutionException inner ? inner.getCause() : ee.getCause();
      return new Outcome.Failed(FailureConverter.toInfo(cause), null);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      return new Outcome.Failed(FailureConverter.toInfo(new IllegalStateException("coordinator interrupted")), null);
    }
  }

  /** Over the payload limit fails the activity, non-retryable: another attempt would make the same result. */
  private static Payload result(Attempt a, DataConverter converter, Object result) {
    try {
      return converter.toPayload(result);
    } catch (PayloadTooLargeException tooLarge) {
      throw ApplicationFailure.fromRecord("result of local activity " + a.activityType() + ": " + tooLarge.getMessage(),
          "PayloadTooLarge", true, "[]", null, tooLarge);
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }

  /** A local activity's context: its info; heartbeats only keep their details (no heartbeat timeout, as in Temporal). */
  private static final class LocalContext implements ActivityExecutionContext {
    private final Attempt attempt;
    private final DataConverter converter;
    private volatile Payload details;

    LocalContext(Attempt attempt, DataConverter converter) {
      this.attempt = attempt;
      this.converter = converter;
    }

    @Override
    public ActivityInfo getInfo() {
      return new ActivityInfo(attempt.workflow().namespace(), attempt.workflow().workflowId(),
          attempt.workflow().runId(), attempt.activityId(), attempt.activityType(), attempt.workflow().taskQueue(),
          attempt.attempt(), attempt.scheduledTime());
    }

    @Override
    public void heartbeat(Object d) {
      details = converter.toPayload(d);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> Optional<V> getHeartbeatDetails(Class<V> type) {
      Payload p = details;
      return p == null ? Optional.empty() : Optional.ofNullable((V) converter.fromPayload(p, type));
    }
  }
}
