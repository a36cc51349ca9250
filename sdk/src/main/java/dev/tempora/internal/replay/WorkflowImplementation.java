package dev.tempora.internal.replay;

import dev.tempora.common.converter.EncodedValues;
import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import dev.tempora.workflow.DynamicWorkflow;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A registered workflow type: what its interface declares and how to make an instance per run;
 * {@code dynamic} for a {@link DynamicWorkflow} (it runs every type without code of its own, and
 * declares no signals, queries or updates: it takes any); the data converter its runs' payloads go
 * through; the worker's interceptors.
 */
public record WorkflowImplementation(WorkflowInterfaceMetadata metadata, Supplier<?> factory, boolean dynamic,
    DataConverter converter, List<WorkerInterceptor> interceptors) {
  /** The type name a dynamic implementation is shown under (it has none of its own). */
  public static final String DYNAMIC_TYPE = "*";

  public WorkflowImplementation(WorkflowInterfaceMetadata metadata, Supplier<?> factory) {
    this(metadata, factory, false, DataConverter.get(), List.of());
  }

  /** The same code with the worker's converter. */
  public WorkflowImplementation withConverter(DataConverter c) {
    return c == converter ? this : new WorkflowImplementation(metadata, factory, dynamic, c, interceptors);
  }

  public static WorkflowImplementation ofClass(Class<?> implementation) {
    Constructor<?> ctor;
    try {
      ctor = implementation.getDeclaredConstructor();
      ctor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("workflow implementation " + implementation.getName()
          + " needs a no-argument constructor (or register a factory)", e);
    }
    Supplier<?> factory = () -> {
      try {
        return ctor.newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot instantiate " + implementation.getName(), e);
      }
    };
    if (DynamicWorkflow.class.isAssignableFrom(implementation)) {
      return dynamic(factory);
    }
    return new WorkflowImplementation(WorkflowInterfaceMetadata.ofImplementation(implementation), factory);
  }

  /** A {@link DynamicWorkflow} made by {@code factory}. */
  public static WorkflowImplementation dynamic(Supplier<?> factory) {
    try {
      WorkflowInterfaceMetadata md = new WorkflowInterfaceMetadata(DynamicWorkflow.class, DYNAMIC_TYPE,
          DynamicWorkflow.class.getMethod("execute", EncodedValues.class), Map.of(),
          Map.of(), Map.of(), Map.of(), Map.of());
      return new WorkflowImplementation(md, factory, true, DataConverter.get(), List.of());
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same code with the worker's interceptors. */
  public WorkflowImplementation withInterceptors(List<WorkerInterceptor> workerInterceptors) {
    return workerInterceptors.isEmpty() && interceptors.isEmpty() ? this
        : new WorkflowImplementation(metadata, factory, dynamic, converter, List.copyOf(workerInterceptors));
  }

  public String workflowType() {
    return metadata.workflowType();
  }
}
