package dev.tempora.devserver;

import dev.tempora.converter.DataConverter;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowException;
import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.AwsTimerService;
import dev.tempora.internal.testing.EngineCounters;
import dev.tempora.internal.testing.EnvironmentBackend;
import dev.tempora.testing.EngineStats;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A {@code TestWorkflowEnvironment} backend on the embedded AWS stack, so the tests written for
 * the in-memory environment run unchanged through DynamoDB Local, ElasticMQ and the real
 * handlers. A client call that sends returns when the in-memory environment's would: once the
 * workflow tasks it caused are done, and the activities they started that finish within {@link
 * #SYNC_ACTIVITY}; not waiting for timers or for longer activities. Time skips like the in-memory
 * environment's: when nothing is visible or running in any queue, the stack's shared clock (the
 * Scheduler stand-in's and ElasticMQ's) moves to whichever comes first, the next delayed SQS message
 * (a short timer, a retry backoff, a schedule's firing) or the next Scheduler fire time (plus the
 * Scheduler lead for a long timer, so it is due when it arrives). A running activity holds time
 * skipping, as in Temporal: its time passes at wall-clock speed.
 */
public final class EmbeddedAwsBackend implements EnvironmentBackend {
  private static final String ACTIVITIES = "activities-";
  private static final Duration POLL = Duration.ofMillis(25);
  /**
   * An activity invocation younger than this is waited for by client calls, as the in-memory
   * environment runs a short activity before it returns (its window is 200 ms of activity code;
   * here an invocation also claims, reads and sends through DynamoDB Local and ElasticMQ, on a
   * machine that may be loaded). An older one goes on in the background.
   */
  static final Duration SYNC_ACTIVITY = Duration.ofSeconds(2);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  private final DevServer server;
  private final AwsRuntime runtime;
  private volatile WorkflowClient client;
  private volatile boolean autoSkip = true;

  /**
   * A test environment on {@code server}'s stack, running what its {@code WorkerSetup} registered
   * (and what the environment's register methods add). Closing the environment leaves the server
   * running: its owner closes it.
   */
  public static TestWorkflowEnvironment newEnvironment(DevServer server) {
    return TestWorkflowEnvironment.newInstance(new EmbeddedAwsBackend(server));
  }

  /** The backend itself, for {@code TestWorkflowEnvironment.newInstance}; {@link #newEnvironment} is the short way. */
  public EmbeddedAwsBackend(DevServer server) {
    this.server = server;
    this.runtime = server.runtime();
    this.client = newClient();
  }

  private WorkflowClient newClient() {
    // Like the in-memory environment, client calls that send return once the stack has reacted.
    return runtime.client(this::awaitSkipping, messages -> {
      runtime.workflowTasks.send(messages);
      awaitQuiet();
    });
  }

  @Override
  public void setDataConverter(DataConverter converter) {
    runtime.worker().setDataConverter(converter);
    runtime.cache.invalidateAll();
    client = newClient();
    // Like a deploy: runs parked on a payload the old converter could not decode go on at once.
    runtime.processor.wakeParkedRuns(runtime.config.namespace(), true);
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
  public void registerWorkerInterceptors(WorkerInterceptor... interceptors) {
    runtime.worker().registerWorkerInterceptors(interceptors);
    runtime.cache.invalidateAll(); // warm runners were made without them
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
      Optional<Instant> next = nextSkipTime();
      if (next.isEmpty() || next.get().isAfter(target)) {
        break;
      }
      skipTo(next.get());
    }
    skipTo(target);
    awaitIdle();
  }

  /**
   * Where time skipping moves the clock next: the next delayed message, or the next Scheduler
   * firing (a long timer's at() schedule fires SCHEDULER_LEAD early; a recurring one on time).
   */
  private Optional<Instant> nextSkipTime() {
    return Stream.of(server.nextDelayedMessage(), server.scheduler().nextSkipTime(AwsTimerService.SCHEDULER_LEAD))
        .flatMap(Optional::stream).min(Instant::compareTo);
  }

  private void skipTo(Instant t) {
    Duration by = Duration.between(currentTime(), t);
    if (!by.isNegative() && !by.isZero()) {
      server.advanceClock(by);
    }
  }

  /** Waits for the run to close, skipping to the next timer or delayed message whenever the stack is idle. */
  private void awaitSkipping(BooleanSupplier closed, Duration timeout) {
    long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
    int idlePolls = 0;
    while (!closed.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new WorkflowException(null, "timed out after " + timeout + " waiting for the workflow to close",
            new TimeoutException());
      }
      // Idle twice in a row, a poll apart, as awaitIdle: a handler between receive and send holds a message.
      idlePolls = autoSkip && idle() ? idlePolls + 1 : 0;
      if (idlePolls >= 2) {
        nextSkipTime().ifPresent(this::skipTo);
        idlePolls = 0;
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

  /** Waits until no workflow task or activity is visible or running (timers may be pending). */
  @Override
  public void awaitIdle() {
    awaitTwice(this::idle, "idle");
  }

  /** What a client call waits for: the workflow tasks, and the activities still young enough. */
  private void awaitQuiet() {
    awaitTwice(this::quiet, "quiet");
  }

  /** True twice in a row, a poll apart: a handler between receiving and sending holds a message in flight. */
  private void awaitTwice(BooleanSupplier state, String name) {
    int quiet = 0;
    long deadline = System.nanoTime() + IDLE_TIMEOUT.toNanos();
    while (quiet < 2) {
      quiet = state.getAsBoolean() ? quiet + 1 : 0;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the embedded stack did not become " + name + " in " + IDLE_TIMEOUT.toSeconds()
            + " s: " + depths());
      }
      pause();
    }
  }

  /**
   * No workflow task to run, no fired timer on its way, no activity waiting for a poller, and every
   * running activity invocation older than {@link #SYNC_ACTIVITY}. Delayed messages (timers,
   * activity retries) and long activities do not count.
   */
  private boolean quiet() {
    for (String role : server.queues().keySet()) {
      DevServer.QueueDepth d = server.depth(role);
      boolean busy = role.startsWith(ACTIVITIES)
          ? d.visible() > 0 || server.eventSources().getOrDefault(role, List.of()).stream()
              .anyMatch(p -> p.invokingForLessThan(SYNC_ACTIVITY))
          : d.visible() + d.inFlight() > 0;
      if (busy) {
        return false;
      }
    }
    return true;
  }

  /** Nothing visible or in flight in any queue (delayed messages may wait). */
  private boolean idle() {
    for (String role : server.queues().keySet()) {
      DevServer.QueueDepth d = server.depth(role);
      if (d.visible() + d.inFlight() > 0) {
        return false;
      }
    }
    return true;
  }

  /** Every queue's depth, for an error message. */
  private String depths() {
    StringBuilder out = new StringBuilder();
    server.queues().keySet().forEach(role -> out.append(role).append('=').append(server.depth(role)).append(' '));
    return out.toString().trim();
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
