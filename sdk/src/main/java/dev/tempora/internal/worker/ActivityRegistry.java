package dev.tempora.internal.worker;

import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.metadata.ActivityInterfaceMetadata;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Activity implementations by activity type. Registering a type again replaces it. */
public final class ActivityRegistry {
  /** One activity type: the object that implements it and the interface method to call. */
  public record Entry(Object implementation, Method method) {}

  private final ConcurrentHashMap<String, Entry> byType = new ConcurrentHashMap<>();
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
      for (ActivityInterfaceMetadata md : ActivityInterfaceMetadata.ofImplementation(impl.getClass())) {
        for (Map.Entry<Method, String> e : md.typesByMethod().entrySet()) {
          byType.put(e.getValue(), new Entry(impl, e.getKey()));
        }
      }
    }
  }

  public Optional<Entry> get(String activityType) {
    return Optional.ofNullable(byType.get(activityType));
  }

  public Set<String> types() {
    return new TreeSet<>(byType.keySet());
  }
}
