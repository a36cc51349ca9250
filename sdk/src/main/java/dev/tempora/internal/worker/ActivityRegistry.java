package dev.tempora.internal.worker;

import dev.tempora.activity.DynamicActivity;
import dev.tempora.common.converter.EncodedValues;
import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.metadata.ActivityInterfaceMetadata;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Activity implementations by activity type, the {@link DynamicActivity} for types without one,
 * and the worker's interceptors. Registering a type (or a dynamic activity) again replaces it.
 */
public final class ActivityRegistry {
  /** The type name a dynamic activity is shown under (it has none of its own). */
  public static final String DYNAMIC_TYPE = "*";
  private static final Method DYNAMIC_EXECUTE;

  static {
    try {
      DYNAMIC_EXECUTE = DynamicActivity.class.getMethod("execute", EncodedValues.class);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One activity type: the object that implements it and the interface method to call. */
  public record Entry(Object implementation, Method method) {
    /** A {@link DynamicActivity}: it takes the arguments undecoded. */
    public boolean dynamic() {
      return method.equals(DYNAMIC_EXECUTE);
    }

    /** The call's arguments for the method, read with {@code converter}; undecoded for a dynamic activity. */
    public Object[] arguments(Payload input, DataConverter converter) {
      return dynamic() ? new Object[] {new EncodedValues(input, converter.custom())}
          : converter.fromArgsPayload(input, method.getGenericParameterTypes());
    }
  }

  private final ConcurrentHashMap<String, Entry> byType = new ConcurrentHashMap<>();
  private volatile Entry dynamic;
  private final List<WorkerInterceptor> interceptors = new CopyOnWriteArrayList<>();
  private volatile DataConverter converter = DataConverter.get();

  /** The converter activities' inputs, results and heartbeat details go through (the worker's). */
  public void setDataConverter(DataConverter c) {
    converter = c;
  }

  public DataConverter dataConverter() {
    return converter;
  }

  public void register(Object... implementations) {
    for (Object impl : implementations) {
      if (impl instanceof DynamicActivity) {
        dynamic = new Entry(impl, DYNAMIC_EXECUTE);
        continue;
      }
      for (ActivityInterfaceMetadata md : ActivityInterfaceMetadata.ofImplementation(impl.getClass())) {
        for (Map.Entry<Method, String> e : md.typesByMethod().entrySet()) {
          byType.put(e.getValue(), new Entry(impl, e.getKey()));
        }
      }
    }
  }

  public void registerInterceptors(WorkerInterceptor... workerInterceptors) {
    interceptors.addAll(List.of(workerInterceptors));
  }

  /** The worker's interceptors, in registration order (the last is the outermost). */
  public List<WorkerInterceptor> interceptors() {
    return interceptors;
  }

  /** The type's implementation, else the dynamic activity. */
  public Optional<Entry> get(String activityType) {
    Entry e = byType.get(activityType);
    return Optional.ofNullable(e != null ? e : dynamic);
  }

  public Set<String> types() {
    Set<String> types = new TreeSet<>(byType.keySet());
    if (dynamic != null) {
      types.add(DYNAMIC_TYPE);
    }
    return types;
  }
}
