package dev.tempora.client.schedules;

/** A schedule with this id already exists. */
public final class ScheduleAlreadyRunningException extends RuntimeException {
  private final String scheduleId;

  public ScheduleAlreadyRunningException(String scheduleId) {
    super("ScheduleAlreadyExists: a schedule with id " + scheduleId + " already exists");
    this.scheduleId = scheduleId;
  }

  public String getScheduleId() {
    return scheduleId;
  }
}
