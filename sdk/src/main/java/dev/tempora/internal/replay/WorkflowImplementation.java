package dev.tempora.internal.replay;

import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import java.util.function.Supplier;

/**
 * A registered workflow type: what its interface declares, how to make an instance per run, and
 * the data converter its runs' payloads go through.
 */
public record WorkflowImplementation(WorkflowInterfaceMetadata metadata, Supplier<?> factory, DataConverter converter) {
  public WorkflowImplementation(WorkflowInterfaceMetadata metadata, Supplier<?> factory) {
    this(metadata, factory, DataConverter.get());
  }

  public WorkflowImplementation withConverter(DataConverter c) {
    return c == converter ? this : new WorkflowImplementation(metadata, factory, c);
  }

  public static WorkflowImplementation ofClass(Class<?> implementation) {
    WorkflowInterfaceMetadata md = WorkflowInterfaceMetadata.ofImplementation(implementation);
    java.lang.reflect.Constructor<?> ctor;
    try {
      ctor = implementation.getDeclaredConstructor();
      ctor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("workflow implementation " + implementation.getName()
          + " needs a no-argument constructor (or register a factory)", e);
    }
    return new WorkflowImplementation(md, () -> {
      try {
        return ctor.newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot instantiate " + implementation.getName(), e);
      }
    });
  }

  public String workflowType() {
    return metadata.workflowType();
  }
}
