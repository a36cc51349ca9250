package dev.tempora.worker;

import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.converter.DataConverter;
import java.util.function.Supplier;

/** What a deployment registers: the workflow types the coordinator runs and the activities workers run. */
public interface Worker {
  /** Workflow implementation classes (with no-argument constructors). */
  Worker registerWorkflowImplementationTypes(Class<?>... implementations);

  <T> Worker registerWorkflowImplementationFactory(Class<T> workflowInterface, Supplier<? extends T> factory);

  /** Activity implementation objects; one object may implement several activity interfaces. */
  Worker registerActivitiesImplementations(Object... implementations);

  /**
   * Adds interceptors around this deployment's workflow code and activity attempts (as Temporal's
   * {@code WorkerFactoryOptions.setWorkerInterceptors}); the last added is the outermost. In a
   * {@code WorkerSetup}, they apply in the coordinator and the activity workers alike.
   */
  Worker registerWorkerInterceptors(WorkerInterceptor... interceptors);

  /**
   * The data converter of this deployment's payloads (workflow code, activities, and the clients
   * the runtime makes); Jackson JSON when not set. Set it the same in every process of a
   * deployment: a payload is read by the converter (and codecs) it was written with.
   */
  Worker setDataConverter(DataConverter converter);
}
