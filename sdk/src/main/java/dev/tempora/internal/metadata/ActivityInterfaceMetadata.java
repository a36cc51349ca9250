package dev.tempora.internal.metadata;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityMethod;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Activity type names of an {@code @ActivityInterface}'s methods: {@code namePrefix} + the
 * {@code @ActivityMethod} name, or the method name capitalised (as in Temporal: chargeCard → ChargeCard).
 */
public record ActivityInterfaceMetadata(Class<?> activityInterface, Map<Method, String> typesByMethod) {

  private static final Map<Class<?>, ActivityInterfaceMetadata> CACHE = new ConcurrentHashMap<>();

  public static ActivityInterfaceMetadata ofInterface(Class<?> iface) {
    return CACHE.computeIfAbsent(iface, ActivityInterfaceMetadata::build);
  }

  /** All activity interfaces an implementation object implements. */
  public static List<ActivityInterfaceMetadata> ofImplementation(Class<?> impl) {
    List<ActivityInterfaceMetadata> out = new ArrayList<>();
    for (Class<?> c = impl; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (i.isAnnotationPresent(ActivityInterface.class)) {
          out.add(ofInterface(i));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(impl.getName() + " implements no interface annotated @ActivityInterface");
    }
    return out;
  }

  private static ActivityInterfaceMetadata build(Class<?> iface) {
    if (!iface.isInterface() || !iface.isAnnotationPresent(ActivityInterface.class)) {
      throw new IllegalArgumentException(iface.getName() + " is not an interface annotated @ActivityInterface");
    }
    String prefix = iface.getAnnotation(ActivityInterface.class).namePrefix();
    Map<Method, String> types = new HashMap<>();
    for (Method m : iface.getMethods()) {
      if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      m.setAccessible(true);
      ActivityMethod am = m.getAnnotation(ActivityMethod.class);
      String name = am != null && !am.name().isEmpty()
          ? am.name()
          : Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1);
      types.put(m, prefix + name);
    }
    return new ActivityInterfaceMetadata(iface, Map.copyOf(types));
  }
}
