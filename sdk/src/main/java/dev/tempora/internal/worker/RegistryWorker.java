package dev.tempora.internal.worker;

import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/** A {@link Worker} over the two registries, and the lookup of the application's {@link WorkerSetup}. */
public final class RegistryWorker implements Worker {
  public static final String SETUP_VARIABLE = "TEMPORA_WORKER_SETUP";

  private final WorkflowRegistry workflows;
  private final ActivityRegistry activities;

  public RegistryWorker(WorkflowRegistry workflows, ActivityRegistry activities) {
    this.workflows = workflows;
    this.activities = activities;
  }

  @Override
  public Worker registerWorkflowImplementationTypes(Class<?>... implementations) {
    workflows.register(implementations);
    return this;
  }

  @Override
  public <T> Worker registerWorkflowImplementationFactory(Class<T> workflowInterface, Supplier<? extends T> factory) {
    workflows.registerFactory(workflowInterface, factory);
    return this;
  }

  @Override
  public Worker registerActivitiesImplementations(Object... implementations) {
    activities.register(implementations);
    return this;
  }

  @Override
  public Worker registerWorkerInterceptors(WorkerInterceptor... interceptors) {
    workflows.registerInterceptors(interceptors);
    activities.registerInterceptors(interceptors);
    return this;
  }

  @Override
  public Worker setDataConverter(dev.tempora.converter.DataConverter converter) {
    DataConverter c = DataConverter.of(converter);
    workflows.setDataConverter(c);
    activities.setDataConverter(c);
    return this;
  }

  /** The setup named by {@code className} (may be null), else the one ServiceLoader finds. */
  public static WorkerSetup loadSetup(String className) {
    if (className != null && !className.isBlank()) {
      try {
        Class<?> c = Class.forName(className.trim(), true, Thread.currentThread().getContextClassLoader());
        return (WorkerSetup) c.getDeclaredConstructor().newInstance();
      } catch (ClassCastException e) {
        throw new IllegalStateException(SETUP_VARIABLE + "=" + className + " does not implement " + WorkerSetup.class.getName(), e);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(SETUP_VARIABLE + "=" + className + " cannot be instantiated (a public class with a "
            + "public no-argument constructor is needed): " + e, e);
      }
    }
    Iterator<WorkerSetup> found = ServiceLoader.load(WorkerSetup.class).iterator();
    if (!found.hasNext()) {
      throw new IllegalStateException("no WorkerSetup: set " + SETUP_VARIABLE + " to your setup class, or list it in "
          + "META-INF/services/" + WorkerSetup.class.getName());
    }
    return found.next();
  }
}
