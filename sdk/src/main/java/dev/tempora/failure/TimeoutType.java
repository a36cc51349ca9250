package dev.tempora.failure;

/** Which timeout fired. */
public enum TimeoutType {
  SCHEDULE_TO_START,
  START_TO_CLOSE,
  SCHEDULE_TO_CLOSE,
  HEARTBEAT
}
