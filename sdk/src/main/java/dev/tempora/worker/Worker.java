package dev.tempora.worker;

import java.util.function.Supplier;

/** What a deployment registers: the workflow types the coordinator runs and the activities workers run. */
public interface Worker {
  /** Workflow implementation classes (with no-argument constructors). */
  Worker registerWorkflowImplementationTypes(Class<?>... implementations);

  <T> Worker registerWorkflowImplementationFactory(Class<T> workflowInterface, Supplier<? extends T> factory);

  /** Activity implementation objects; one object may implement several activity interfaces. */
  Worker registerActivitiesImplementations(Object... implementations);
}
