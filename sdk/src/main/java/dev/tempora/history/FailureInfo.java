package dev.tempora.history;

import dev.tempora.failure.TimeoutType;

/**
 * A failure as recorded in history. {@code kind} tells which typed failure it becomes again;
 * {@code type} is the application failure type (often an exception class name).
 */
public record FailureInfo(
    Kind kind,
    String type,
    String message,
    String stackTrace,
    boolean nonRetryable,
    String detailsJson,
    TimeoutType timeoutType,
    String activityType,
    String activityId,
    int attempt,
    FailureInfo cause) {

  /** For CHILD_WORKFLOW: {@code type} is the child's workflow type, {@code activityId} its workflow id, {@code activityType} its run id. */
  public enum Kind { APPLICATION, ACTIVITY, TIMEOUT, CANCELED, TERMINATED, COMPENSATION, CHILD_WORKFLOW }

  public String summary() {
    String self = switch (kind) {
      case APPLICATION -> (type == null ? "" : type + ": ") + message;
      case ACTIVITY -> "activity " + activityType + " failed";
      case TIMEOUT -> timeoutType + " timeout";
      case CANCELED -> "canceled";
      case TERMINATED -> "terminated: " + message;
      case COMPENSATION -> message;
      case CHILD_WORKFLOW -> "child workflow " + type + " failed";
    };
    return cause == null ? self : self + " <- " + cause.summary();
  }
}
