package dev.tempora.devserver;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowException;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.AwsTimerService;
import dev.tempora.internal.testing.EngineCounters;
import dev.tempora.internal.testing.EnvironmentBackend;
import dev.tempora.testing.EngineStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A {@code TestWorkflowEnvironment} backend on the embedded AWS stack, so the tests written for
 * the in-memory environment run unchanged through DynamoDB Local, ElasticMQ and the real
 * handlers. Time skips like the in-memory environment's, but only over what can be skipped: when
 * every queue is empty (nothing is running or visible or delayed), the stack's shared clock moves
 * to the next Scheduler fire time plus the Scheduler lead, so the long timer is due when it
 * arrives. Timers under 15 minutes are SQS delays and take their real time.
 */
public final class EmbeddedAwsBackend implements EnvironmentBackend {
  private static final Duration POLL = Duration.ofMillis(25);

  private final DevServer server;
  private final AwsRuntime runtime;
  private final WorkflowClient client;
  private volatile boolean autoSkip = true;

  public EmbeddedAwsBackend(DevServer server) {
    this.server = server;
    this.runtime = server.runtime();
    // Like the in-memory environment, client calls that send return once the stack has reacted.
    this.client = runtime.client(this::awaitSkipping, messages -> {
      runtime.workflowTasks.send(messages);
      awaitIdle();
    });
  }

  @Override
  public void registerWorkflowImplementationTypes(Class<?>... implementations) {
    runtime.workflows.register(implementations);
    runtime.cache.invalidateAll();
  }

  @Override
  public <T> void registerWorkflowImplementationFactory(Class<T> workflowInterface, Supplier<? extends T> factory) {
    runtime.workflows.registerFactory(workflowInterface, factory);
    runtime.cache.invalidateAll();
  }

  @Override
  public void registerActivitiesImplementations(Object... implementations) {
    runtime.activities.register(implementations);
  }

  @Override
  public WorkflowClient client() {
    return client;
  }

  @Override
  public void sleep(Duration d) {
    Instant target = currentTime().plus(d);
    while (true) {
      awaitIdle();
      // A long timer's at() schedule fires SCHEDULER_LEAD early; a schedule's recurring one on time.
      Optional<Instant> next = server.scheduler().nextSkipTime(AwsTimerService.SCHEDULER_LEAD);
      if (next.isEmpty() || next.get().isAfter(target)) {
        break;
      }
      skipTo(next.get());
    }
    skipTo(target);
    awaitIdle();
  }

  private void skipTo(Instant t) {
    Duration by = Duration.between(currentTime(), t);
    if (!by.isNegative() && !by.isZero()) {
      server.advanceClock(by);
    }
  }

  /** Waits for the run to close, skipping to the next long timer whenever the stack is idle. */
  private void awaitSkipping(BooleanSupplier closed, Duration timeout) {
    long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
    while (!closed.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new WorkflowException(null, "timed out after " + timeout + " waiting for the workflow to close",
            new TimeoutException());
      }
      if (autoSkip && idle()) {
        server.scheduler().nextSkipTime(AwsTimerService.SCHEDULER_LEAD).ifPresent(this::skipTo);
      }
      pause();
    }
  }

  @Override
  public void setAutoTimeSkipping(boolean on) {
    autoSkip = on;
  }

  @Override
  public Instant currentTime() {
    return server.scheduler().now();
  }

  /** Idle twice in a row, a poll apart: a handler between receiving and sending holds a message in flight. */
  @Override
  public void awaitIdle() {
    int quiet = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (quiet < 2) {
      quiet = idle() ? quiet + 1 : 0;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the embedded stack did not become idle in 60 s");
      }
      pause();
    }
  }

  private boolean idle() {
    for (String role : server.queues().keySet()) {
      if (server.backlog(role) > 0) {
        return false;
      }
    }
    return true;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void evictRunners() {
    runtime.cache.invalidateAll();
  }

  @Override
  public EngineStats stats() {
    return EngineCounters.of(runtime.processor, runtime.store.batchesRead(), runtime.store.batchesWritten());
  }

  /** The server is shared between environments; its owner closes it. */
  @Override
  public void close() {}
}
