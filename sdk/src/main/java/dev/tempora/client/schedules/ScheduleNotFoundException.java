package dev.tempora.client.schedules;

/** No schedule with this id. */
public final class ScheduleNotFoundException extends RuntimeException {
  private final String scheduleId;

  public ScheduleNotFoundException(String scheduleId) {
    super("ScheduleNotFound: no schedule with id " + scheduleId);
    this.scheduleId = scheduleId;
  }

  public String getScheduleId() {
    return scheduleId;
  }
}
