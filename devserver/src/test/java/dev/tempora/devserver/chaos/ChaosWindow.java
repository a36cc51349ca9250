package dev.tempora.devserver.chaos;

/**
 * The failed-send windows of issue 9, each aimed at one workflow at its worst moment (at most one
 * per workflow). The random faults hit these moments too, but too rarely to count on.
 */
enum ChaosWindow {
  NONE("none"),
  /** The client's start commits the run, then its SQS send fails; the caller does not retry. */
  START_SEND_LOST("start send lost after the run was committed (no client retry)"),
  /** The coordinator commits the closing batch, then the run record's UpdateItem fails once. */
  CLOSE_UPDATE_FAILS_ONCE("run-record update at close fails once"),
  /** As above, but UpdateItem on that run record keeps failing for {@code ChaosSettings.outage}. */
  CLOSE_UPDATE_OUTAGE("run-record update at close fails for an outage"),
  /** A terminate commits just before the coordinator's closing commit (the coordinator loses the race). */
  TERMINATE_BEFORE_CLOSE("terminate just before the closing commit"),
  /** A terminate arrives after the closing commit, before the run record says so. */
  TERMINATE_AFTER_CLOSE("terminate after the closing commit, before the run-record update");

  final String description;

  ChaosWindow(String description) {
    this.description = description;
  }
}
