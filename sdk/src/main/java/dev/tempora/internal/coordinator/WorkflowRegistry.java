package dev.tempora.internal.coordinator;

import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import dev.tempora.internal.replay.WorkflowImplementation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import dev.tempora.workflow.DynamicWorkflow;

/** Workflow types this coordinator can run. Registering a type again replaces its code (a deploy). */
public final class WorkflowRegistry {
  private final ConcurrentHashMap<String, WorkflowImplementation> byType = new ConcurrentHashMap<>();
  /** The class whose bytes stand for a type's code: the implementation, or the factory's class. */
  private final ConcurrentHashMap<String, Class<?>> codeByType = new ConcurrentHashMap<>();
  private volatile String deployment;
  /** The {@code DynamicWorkflow}: runs every type without an implementation of its own (null: none). */
  private volatile WorkflowImplementation dynamic;
  /** The worker's interceptors, in registration order (the last is the outermost). */
  private final List<WorkerInterceptor> interceptors = new CopyOnWriteArrayList<>();
  private volatile DataConverter converter = DataConverter.get();

  /** The converter the runs of every type use (the worker's). */
  public void setDataConverter(DataConverter c) {
    converter = c;
  }

  public DataConverter dataConverter() {
    return converter;
  }

  public void register(Class<?>... implementations) {
    for (Class<?> c : implementations) {
      WorkflowImplementation impl = WorkflowImplementation.ofClass(c);
      String type = impl.dynamic() ? WorkflowImplementation.DYNAMIC_TYPE : impl.workflowType();
      if (impl.dynamic()) {
        dynamic = impl;
      } else {
        byType.put(type, impl);
      }
      codeByType.put(type, c);
    }
    deployment = null;
  }

  public <T> void registerFactory(Class<T> workflowInterface, Supplier<? extends T> factory) {
    if (workflowInterface == DynamicWorkflow.class) {
      dynamic = WorkflowImplementation.dynamic(factory);
      codeByType.put(WorkflowImplementation.DYNAMIC_TYPE, codeOf(factory.getClass()));
      deployment = null;
      return;
    }
    WorkflowInterfaceMetadata md = WorkflowInterfaceMetadata.ofInterface(workflowInterface);
    byType.put(md.workflowType(), new WorkflowImplementation(md, factory));
    codeByType.put(md.workflowType(), codeOf(factory.getClass()));
    deployment = null;
  }

  /** Adds worker interceptors; runs (and replays) made after this see them. */
  public void registerInterceptors(WorkerInterceptor... workerInterceptors) {
    interceptors.addAll(List.of(workerInterceptors));
  }

  /** The type's implementation, else the dynamic one; with the worker's converter and interceptors. */
  public Optional<WorkflowImplementation> get(String workflowType) {
    WorkflowImplementation impl = byType.get(workflowType);
    if (impl == null) {
      impl = dynamic;
    }
    return impl == null ? Optional.empty() : Optional.of(impl.withConverter(converter).withInterceptors(interceptors));
  }

  /** The registered type names ({@code *} standing for a dynamic implementation). */
  public Set<String> types() {
    Set<String> types = new TreeSet<>(byType.keySet());
    if (dynamic != null) {
      types.add(WorkflowImplementation.DYNAMIC_TYPE);
    }
    return types;
  }

  /**
   * A fingerprint of the registered code: the types and the bytes of their classes. A parked task
   * records it, so a coordinator with other code (a new deployment) knows to retry the task at once
   * rather than after its backoff, and one with the same code does not.
   */
  public String deployment() {
    String d = deployment;
    if (d == null) {
      MessageDigest sha = sha256();
      Map<String, Class<?>> sorted = new TreeMap<>(codeByType);
      sorted.forEach((type, code) -> {
        sha.update((type + "=" + code.getName() + ";").getBytes(StandardCharsets.UTF_8));
        sha.update(classBytes(code));
      });
      d = HexFormat.of().formatHex(sha.digest(), 0, 8);
      deployment = d;
    }
    return d;
  }

  /** A lambda's hidden class is named per JVM; the class that declares it is stable across JVMs. */
  private static Class<?> codeOf(Class<?> factoryClass) {
    if (!factoryClass.isHidden()) {
      return factoryClass;
    }
    String name = factoryClass.getName();
    int cut = name.indexOf("$$Lambda");
    try {
      return cut < 0 ? factoryClass : Class.forName(name.substring(0, cut), false, factoryClass.getClassLoader());
    } catch (ClassNotFoundException e) {
      return factoryClass;
    }
  }

  private static byte[] classBytes(Class<?> c) {
    ClassLoader loader = c.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : c.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(c.getName().replace('.', '/') + ".class")) {
      return in == null ? new byte[0] : in.readAllBytes();  // hidden (lambda) classes have no resource
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
