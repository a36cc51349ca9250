package dev.tempora.internal.testing;

import dev.tempora.client.WorkflowClient;
import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.testing.EngineStats;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * What a {@code TestWorkflowEnvironment} runs on: the in-memory engine, or another stack (the
 * devserver's embedded AWS stack) with time skipping of its own.
 */
public interface EnvironmentBackend extends AutoCloseable {
  void registerWorkflowImplementationTypes(Class<?>... implementations);

  <T> void registerWorkflowImplementationFactory(Class<T> workflowInterface, Supplier<? extends T> factory);

  void registerActivitiesImplementations(Object... implementations);

  void registerWorkerInterceptors(WorkerInterceptor... interceptors);

  WorkflowClient client();

  /** Workers and a new client use {@code converter} from now on; warm runners are dropped. */
  void setDataConverter(dev.tempora.converter.DataConverter converter);

  void sleep(Duration d);

  void setAutoTimeSkipping(boolean on);

  Instant currentTime();

  void awaitIdle();

  void evictRunners();

  EngineStats stats();

  @Override
  void close();
}
