package dev.tempora.client.schedules;

import dev.tempora.client.WorkflowClient;
import dev.tempora.internal.schedules.ScheduleClientImpl;
import java.util.List;

/**
 * Creates, lists and finds schedules (Temporal's Schedule API). Requests the engine cannot run
 * (a bad cron expression or time zone, an unregistered workflow type) are refused with {@code
 * InvalidRequestException} before anything is written.
 */
public interface ScheduleClient {

  /** The schedule client of the engine {@code client} talks to. */
  static ScheduleClient newInstance(WorkflowClient client) {
    return ScheduleClientImpl.of(client);
  }

  /** @throws ScheduleAlreadyRunningException if a schedule with this id exists */
  ScheduleHandle createSchedule(String scheduleId, Schedule schedule, ScheduleOptions options);

  default ScheduleHandle createSchedule(String scheduleId, Schedule schedule) {
    return createSchedule(scheduleId, schedule, ScheduleOptions.getDefaultInstance());
  }

  /** A handle by id (not checked until used). */
  ScheduleHandle getHandle(String scheduleId);

  List<ScheduleListDescription> listSchedules();
}
