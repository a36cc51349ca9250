package dev.tempora.internal.coordinator;

import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import dev.tempora.internal.replay.WorkflowImplementation;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Workflow types this coordinator can run. Registering a type again replaces its code (a deploy). */
public final class WorkflowRegistry {
  private final ConcurrentHashMap<String, WorkflowImplementation> byType = new ConcurrentHashMap<>();

  public void register(Class<?>... implementations) {
    for (Class<?> c : implementations) {
      WorkflowImplementation impl = WorkflowImplementation.ofClass(c);
      byType.put(impl.workflowType(), impl);
    }
  }

  public <T> void registerFactory(Class<T> workflowInterface, Supplier<? extends T> factory) {
    WorkflowInterfaceMetadata md = WorkflowInterfaceMetadata.ofInterface(workflowInterface);
    byType.put(md.workflowType(), new WorkflowImplementation(md, factory));
  }

  public Optional<WorkflowImplementation> get(String workflowType) {
    return Optional.ofNullable(byType.get(workflowType));
  }

  public Set<String> types() {
    return new TreeSet<>(byType.keySet());
  }
}
