package dev.tempora.internal.schedules;

import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import java.util.List;
import java.util.Optional;

/** Port: schedule items (one per schedule; a DynamoDB item on AWS). Writes are conditional. */
public interface ScheduleStore {
  Optional<ScheduleItem> get(String namespace, String scheduleId);

  /** @throws ConcurrentUpdateException if an item with this id exists */
  void create(ScheduleItem item);

  /** Replaces the item whose version is {@code item.version() - 1}. @throws ConcurrentUpdateException otherwise */
  void update(ScheduleItem item);

  /** Deletes the item if its version is {@code version}. @throws ConcurrentUpdateException otherwise */
  void delete(String namespace, String scheduleId, long version);

  List<ScheduleItem> list(String namespace);
}
