package dev.tempora.failure;

import dev.tempora.internal.converter.DataConverter;
import java.lang.reflect.Type;

/**
 * An application-level failure with a {@code type} (for retry policies and callers), a message,
 * optional details, and a {@code nonRetryable} flag. Exceptions thrown by activities reach the
 * workflow as an ApplicationFailure whose type is the exception's class name.
 */
public final class ApplicationFailure extends TemporaFailure {
  private final String type;
  private final String detailsJson;
  private final boolean nonRetryable;
  private final String originalMessage;
  private String recordedStackTrace;

  private ApplicationFailure(String message, String type, boolean nonRetryable, String detailsJson, Throwable cause) {
    super(type == null ? message : type + ": " + message, cause);
    this.originalMessage = message;
    this.type = type;
    this.nonRetryable = nonRetryable;
    this.detailsJson = detailsJson;
  }

  public static ApplicationFailure newFailure(String message, String type, Object... details) {
    return new ApplicationFailure(message, type, false, DataConverter.get().toJson(details), null);
  }

  public static ApplicationFailure newNonRetryableFailure(String message, String type, Object... details) {
    return new ApplicationFailure(message, type, true, DataConverter.get().toJson(details), null);
  }

  /** Rebuilds a failure from its recorded form. Not for user code. */
  public static ApplicationFailure fromRecord(String message, String type, boolean nonRetryable, String detailsJson,
      String stackTrace, Throwable cause) {
    ApplicationFailure f = new ApplicationFailure(message, type, nonRetryable, detailsJson, cause);
    f.recordedStackTrace = stackTrace;
    return f;
  }

  /**
   * Where the failure happened, as recorded in history (for a failure thrown in an activity, the
   * activity's stack); null for a failure made in this process.
   */
  public String getRecordedStackTrace() { return recordedStackTrace; }

  public String getType() { return type; }
  public boolean isNonRetryable() { return nonRetryable; }
  public String getOriginalMessage() { return originalMessage; }
  /** The details as JSON (an array). */
  public String getDetailsJson() { return detailsJson; }

  /** The {@code index}-th detail converted to {@code type}. */
  public <T> T getDetail(int index, Class<T> type) {
    return getDetail(index, (Type) type);
  }

  @SuppressWarnings("unchecked")
  public <T> T getDetail(int index, Type type) {
    Object[] all = DataConverter.get().fromJsonArray(detailsJson, index + 1, i -> i == index ? type : Object.class);
    return (T) all[index];
  }
}
