package dev.tempora.internal.schedules;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleBackfill;
import dev.tempora.client.schedules.ScheduleClient;
import dev.tempora.client.schedules.ScheduleDescription;
import dev.tempora.client.schedules.ScheduleHandle;
import dev.tempora.client.schedules.ScheduleListDescription;
import dev.tempora.client.schedules.ScheduleOptions;
import dev.tempora.client.schedules.ScheduleOverlapPolicy;
import dev.tempora.internal.client.WorkflowClientImpl;
import java.util.List;
import java.util.function.Function;

/** The schedule client over a {@link ScheduleService}. */
public final class ScheduleClientImpl implements ScheduleClient {
  private final ScheduleService service;

  public ScheduleClientImpl(ScheduleService service) {
    this.service = service;
  }

  public static ScheduleClient of(WorkflowClient client) {
    if (client instanceof WorkflowClientImpl impl && impl.schedules() != null) {
      return new ScheduleClientImpl(impl.schedules());
    }
    throw new IllegalArgumentException("this workflow client's engine has no schedules");
  }

  @Override
  public ScheduleHandle createSchedule(String scheduleId, Schedule schedule, ScheduleOptions options) {
    service.create(scheduleId, schedule, options == null ? ScheduleOptions.getDefaultInstance() : options);
    return new Handle(scheduleId);
  }

  @Override
  public ScheduleHandle getHandle(String scheduleId) {
    return new Handle(ScheduleService.scheduleId(scheduleId));
  }

  @Override
  public List<ScheduleListDescription> listSchedules() {
    return service.list();
  }

  private final class Handle implements ScheduleHandle {
    private final String id;

    Handle(String id) {
      this.id = id;
    }

    @Override
    public String getId() {
      return id;
    }

    @Override
    public ScheduleDescription describe() {
      return service.describe(id);
    }

    @Override
    public void update(Function<ScheduleDescription, Schedule> updater) {
      service.update(id, updater);
    }

    @Override
    public void pause(String note) {
      service.pause(id, note);
    }

    @Override
    public void unpause(String note) {
      service.unpause(id, note);
    }

    @Override
    public void trigger(ScheduleOverlapPolicy overlapPolicy) {
      service.trigger(id, overlapPolicy);
    }

    @Override
    public void backfill(List<ScheduleBackfill> backfills) {
      service.backfill(id, backfills);
    }

    @Override
    public void delete() {
      service.delete(id);
    }
  }
}
