package dev.tempora.testing;

import dev.tempora.internal.client.WorkflowClientImpl;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.client.WorkflowClient;
import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.memory.InMemoryHeartbeatStore;
import dev.tempora.internal.memory.InMemoryHistoryStore;
import dev.tempora.internal.memory.InMemoryRuntime;
import dev.tempora.internal.testing.EngineCounters;
import dev.tempora.internal.testing.EnvironmentBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** The default backend: the engine in memory, one engine thread, a virtual clock. */
final class InMemoryBackend implements EnvironmentBackend {
  private final InMemoryRuntime runtime;
  private volatile WorkflowClient client;
  private final InMemoryHistoryStore store = new InMemoryHistoryStore();
  private final String namespace;

  InMemoryBackend(TestEnvironmentOptions o) {
    namespace = o.namespace;
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
    DataConverter converter = DataConverter.of(o.clientOptions.getDataConverter());
    runtime.workflows.setDataConverter(converter);
    runtime.activities.setDataConverter(converter);
    client = new WorkflowClientImpl(runtime.service, runtime.schedules, runtime.completions, converter);
  }

  @Override
  public void registerWorkflowImplementationTypes(Class<?>... implementations) {
    runtime.workflows.register(implementations);
    redeployed();
  }

  @Override
  public <T> void registerWorkflowImplementationFactory(Class<T> workflowInterface, Supplier<? extends T> factory) {
    runtime.workflows.registerFactory(workflowInterface, factory);
    redeployed();
  }

  /** A deploy: warm runners hold old code, and parked tasks are retried with the new code at once. */
  private void redeployed() {
    runtime.engine.awaitIdle();
    runtime.cache.invalidateAll();
    runtime.engine.unparkAll();
    runtime.processor.wakeParkedRuns(namespace, true);
    runtime.engine.awaitIdle();
  }

  @Override
  public void registerActivitiesImplementations(Object... implementations) {
    runtime.activities.register(implementations);
  }

  @Override
  public void registerWorkerInterceptors(WorkerInterceptor... interceptors) {
    runtime.workflows.registerInterceptors(interceptors);
    runtime.activities.registerInterceptors(interceptors);
    runtime.cache.invalidateAll(); // warm runners were made without them
  }

  @Override
  public void setDataConverter(dev.tempora.converter.DataConverter c) {
    DataConverter converter = DataConverter.of(c);
    runtime.workflows.setDataConverter(converter);
    runtime.activities.setDataConverter(converter);
    client = new WorkflowClientImpl(runtime.service, runtime.schedules, runtime.completions, converter);
    redeployed();
  }

  @Override
  public WorkflowClient client() {
    return client;
  }

  @Override
  public void sleep(Duration d) {
    runtime.engine.sleep(d);
  }

  @Override
  public void setAutoTimeSkipping(boolean on) {
    runtime.engine.setAutoSkip(on);
  }

  @Override
  public Instant currentTime() {
    return runtime.clock.instant();
  }

  @Override
  public void awaitIdle() {
    runtime.engine.awaitIdle();
  }

  @Override
  public void evictRunners() {
    runtime.cache.invalidateAll();
  }

  @Override
  public EngineStats stats() {
    return EngineCounters.of(runtime.processor, store.batchesRead(), store.batchesWritten());
  }

  @Override
  public void close() {
    runtime.close();
  }
}
