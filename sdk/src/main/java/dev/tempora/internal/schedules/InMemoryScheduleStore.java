package dev.tempora.internal.schedules;

import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Schedule items in a map, with the same conditional writes as the table. */
public final class InMemoryScheduleStore implements ScheduleStore {
  private final Map<String, ScheduleItem> items = new TreeMap<>();

  private static String key(String namespace, String scheduleId) {
    return namespace + "\u0000" + scheduleId;
  }

  @Override
  public synchronized Optional<ScheduleItem> get(String namespace, String scheduleId) {
    return Optional.ofNullable(items.get(key(namespace, scheduleId)));
  }

  @Override
  public synchronized void create(ScheduleItem item) {
    if (items.putIfAbsent(key(item.namespace(), item.scheduleId()), item) != null) {
      throw new ConcurrentUpdateException("schedule " + item.scheduleId() + " exists");
    }
  }

  @Override
  public synchronized void update(ScheduleItem item) {
    String k = key(item.namespace(), item.scheduleId());
    ScheduleItem old = items.get(k);
    if (old == null || old.version() != item.version() - 1) {
      throw new ConcurrentUpdateException("schedule " + item.scheduleId() + " changed");
    }
    items.put(k, item);
  }

  @Override
  public synchronized void delete(String namespace, String scheduleId, long version) {
    String k = key(namespace, scheduleId);
    ScheduleItem old = items.get(k);
    if (old == null || old.version() != version) {
      throw new ConcurrentUpdateException("schedule " + scheduleId + " changed");
    }
    items.remove(k);
  }

  @Override
  public synchronized List<ScheduleItem> list(String namespace) {
    return items.values().stream().filter(i -> i.namespace().equals(namespace)).toList();
  }
}
