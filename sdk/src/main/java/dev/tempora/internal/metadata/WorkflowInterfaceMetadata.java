package dev.tempora.internal.metadata;

import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.UpdateMethod;
import dev.tempora.workflow.UpdateValidatorMethod;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What a {@code @WorkflowInterface} declares: its type name, workflow method, signals, queries and updates. */
public record WorkflowInterfaceMetadata(
    Class<?> workflowInterface,
    String workflowType,
    Method workflowMethod,
    Map<String, Method> signals,
    Map<String, Method> queries,
    Map<Method, String> namesByMethod,
    Map<String, Method> updates,
    Map<String, Method> updateValidators) {

  private static final Map<Class<?>, WorkflowInterfaceMetadata> CACHE = new ConcurrentHashMap<>();

  /** Metadata of an interface annotated {@code @WorkflowInterface}. */
  public static WorkflowInterfaceMetadata ofInterface(Class<?> iface) {
    return CACHE.computeIfAbsent(iface, WorkflowInterfaceMetadata::build);
  }

  /** Metadata of the workflow interface a workflow implementation class implements. */
  public static WorkflowInterfaceMetadata ofImplementation(Class<?> impl) {
    Class<?> found = null;
    for (Class<?> c = impl; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (i.isAnnotationPresent(WorkflowInterface.class)) {
          if (found != null && found != i) {
            throw new IllegalArgumentException(impl.getName() + " implements more than one @WorkflowInterface ("
                + found.getSimpleName() + ", " + i.getSimpleName() + ")");
          }
          found = i;
        }
      }
    }
    if (found == null) {
      throw new IllegalArgumentException(impl.getName() + " implements no interface annotated @WorkflowInterface");
    }
    return ofInterface(found);
  }

  private static WorkflowInterfaceMetadata build(Class<?> iface) {
    if (!iface.isInterface() || !iface.isAnnotationPresent(WorkflowInterface.class)) {
      throw new IllegalArgumentException(iface.getName() + " is not an interface annotated @WorkflowInterface");
    }
    Method workflowMethod = null;
    String type = null;
    Map<String, Method> signals = new LinkedHashMap<>();
    Map<String, Method> queries = new LinkedHashMap<>();
    Map<Method, String> names = new HashMap<>();
    Map<String, Method> updates = new LinkedHashMap<>();
    Map<String, Method> validators = new LinkedHashMap<>();
    for (Method m : iface.getMethods()) {
      if (m.isDefault() || Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      m.setAccessible(true);
      if (m.isAnnotationPresent(WorkflowMethod.class)) {
        if (workflowMethod != null) {
          throw new IllegalArgumentException(iface.getName() + " has more than one @WorkflowMethod");
        }
        workflowMethod = m;
        String n = m.getAnnotation(WorkflowMethod.class).name();
        type = n.isEmpty() ? iface.getSimpleName() : n;
        names.put(m, type);
      } else if (m.isAnnotationPresent(SignalMethod.class)) {
        if (m.getReturnType() != void.class) {
          throw new IllegalArgumentException("@SignalMethod " + iface.getSimpleName() + "." + m.getName() + " must return void");
        }
        String n = m.getAnnotation(SignalMethod.class).name();
        String name = n.isEmpty() ? m.getName() : n;
        signals.put(name, m);
        names.put(m, name);
      } else if (m.isAnnotationPresent(QueryMethod.class)) {
        if (m.getReturnType() == void.class) {
          throw new IllegalArgumentException("@QueryMethod " + iface.getSimpleName() + "." + m.getName() + " must return a value");
        }
        String n = m.getAnnotation(QueryMethod.class).name();
        String name = n.isEmpty() ? m.getName() : n;
        queries.put(name, m);
        names.put(m, name);
      } else if (m.isAnnotationPresent(UpdateMethod.class)) {
        String n = m.getAnnotation(UpdateMethod.class).name();
        String name = n.isEmpty() ? m.getName() : n;
        updates.put(name, m);
        names.put(m, name);
      } else if (m.isAnnotationPresent(UpdateValidatorMethod.class)) {
        if (m.getReturnType() != void.class) {
          throw new IllegalArgumentException("@UpdateValidatorMethod " + iface.getSimpleName() + "." + m.getName()
              + " must return void");
        }
        validators.put(m.getAnnotation(UpdateValidatorMethod.class).updateName(), m);
      } else {
        throw new IllegalArgumentException(iface.getSimpleName() + "." + m.getName()
            + " has none of @WorkflowMethod, @SignalMethod, @QueryMethod, @UpdateMethod, @UpdateValidatorMethod");
      }
    }
    if (workflowMethod == null) {
      throw new IllegalArgumentException(iface.getName() + " has no @WorkflowMethod");
    }
    for (Map.Entry<String, Method> v : validators.entrySet()) {
      Method update = updates.get(v.getKey());
      if (update == null) {
        throw new IllegalArgumentException("@UpdateValidatorMethod " + iface.getSimpleName() + "." + v.getValue().getName()
            + " names update '" + v.getKey() + "', which " + iface.getSimpleName() + " does not declare");
      }
      if (!Arrays.equals(update.getGenericParameterTypes(), v.getValue().getGenericParameterTypes())) {
        throw new IllegalArgumentException("@UpdateValidatorMethod " + iface.getSimpleName() + "." + v.getValue().getName()
            + " must take the same parameters as update '" + v.getKey() + "'");
      }
    }
    return new WorkflowInterfaceMetadata(iface, type, workflowMethod, Map.copyOf(signals), Map.copyOf(queries),
        Map.copyOf(names), Map.copyOf(updates), Map.copyOf(validators));
  }
}
