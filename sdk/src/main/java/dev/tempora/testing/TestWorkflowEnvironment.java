package dev.tempora.testing;

import dev.tempora.client.WorkflowClient;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.memory.InMemoryHeartbeatStore;
import dev.tempora.internal.memory.InMemoryHistoryStore;
import dev.tempora.internal.memory.InMemoryRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The whole engine in memory with a virtual clock: register workflows and activities (your own
 * objects, so mocks are plain objects), use the client, and let time skip. While a client waits
 * for a result and nothing else can happen, the clock jumps to the next timer, so a workflow that
 * sleeps 30 days finishes in milliseconds; {@link #sleep} moves time by hand. Workflow tasks and
 * activities run one at a time, in order, so a test produces the same history every run. Client
 * calls that send something (start, signal, cancel) return once the engine has reacted to it.
 * An activity must not block waiting for the test thread.
 */
public final class TestWorkflowEnvironment implements AutoCloseable {
  private final InMemoryRuntime runtime;
  private final InMemoryHistoryStore store = new InMemoryHistoryStore();

  private TestWorkflowEnvironment(TestEnvironmentOptions o) {
    WorkflowTaskHooks hooks = o.faults == null ? WorkflowTaskHooks.NONE : new WorkflowTaskHooks() {
      @Override
      public void beforeCommit(RunKey run, HistoryBatch batch) {
        o.faults.beforeCommit(run.workflowId(), batch.seq(), batch.lastEventId());
      }

      @Override
      public void afterCommit(RunKey run, HistoryBatch batch) {
        o.faults.afterCommit(run.workflowId(), batch.seq(), batch.lastEventId());
      }
    };
    runtime = new InMemoryRuntime(new InMemoryRuntime.Options(o.namespace, o.runnerCacheSize,
        o.deadlockTimeout.toMillis(), o.startTime, o.idSeed, hooks), store, new InMemoryHeartbeatStore());
  }

  public static TestWorkflowEnvironment newInstance() {
    return newInstance(TestEnvironmentOptions.getDefaultInstance());
  }

  public static TestWorkflowEnvironment newInstance(TestEnvironmentOptions options) {
    return new TestWorkflowEnvironment(options);
  }

  /**
   * Registers workflow implementation classes (with no-argument constructors). Registering a type
   * again replaces its code, like a deploy: warm runners are dropped, and workflows whose tasks
   * were failing are retried with the new code.
   */
  public void registerWorkflowImplementationTypes(Class<?>... implementations) {
    runtime.workflows.register(implementations);
    redeployed();
  }

  public <T> void registerWorkflowImplementationFactory(Class<T> workflowInterface, Supplier<? extends T> factory) {
    runtime.workflows.registerFactory(workflowInterface, factory);
    redeployed();
  }

  /** Registers activity implementations; a type registered again is replaced. */
  public void registerActivitiesImplementations(Object... implementations) {
    runtime.activities.register(implementations);
  }

  private void redeployed() {
    runtime.engine.awaitIdle();
    runtime.cache.invalidateAll();
    runtime.engine.unparkAll();
  }

  public WorkflowClient getWorkflowClient() {
    return runtime.client;
  }

  /** Moves virtual time forward by {@code d}, firing the timers that fall due, in order. */
  public void sleep(Duration d) {
    runtime.engine.sleep(d);
  }

  /** Turns automatic time skipping (while waiting for results) on or off. */
  public void setAutoTimeSkipping(boolean on) {
    runtime.engine.setAutoSkip(on);
  }

  public Instant currentTime() {
    return runtime.clock.instant();
  }

  public long currentTimeMillis() {
    return currentTime().toEpochMilli();
  }

  /** Waits until no workflow task or activity is ready or running. */
  public void awaitIdle() {
    runtime.engine.awaitIdle();
  }

  /** Drops every warm runner: the next task of each workflow replays its history from the start. */
  public void evictRunners() {
    runtime.cache.invalidateAll();
  }

  public EngineStats stats() {
    return new EngineStats(runtime.processor.workflowTasks(), runtime.processor.fullReplays(), runtime.cache.hits(),
        runtime.cache.misses(), runtime.cache.evictions(), store.batchesRead(), store.batchesWritten(),
        runtime.cache.size());
  }

  @Override
  public void close() {
    runtime.close();
  }
}
