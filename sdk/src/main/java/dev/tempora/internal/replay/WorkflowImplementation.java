package dev.tempora.internal.replay;

import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import java.util.function.Supplier;

/** A registered workflow type: what its interface declares and how to make an instance per run. */
public record WorkflowImplementation(WorkflowInterfaceMetadata metadata, Supplier<?> factory) {

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
