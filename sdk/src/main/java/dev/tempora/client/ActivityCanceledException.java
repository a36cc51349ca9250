package dev.tempora.client;

/**
 * A heartbeat's answer: the workflow asked to cancel the activity, or its run closed. The
 * heartbeat was recorded; the holder of the token should stop and may
 * {@link ActivityCompletionClient#reportCancellation report the cancellation}. Reason
 * {@code ActivityCanceled}.
 */
public final class ActivityCanceledException extends ActivityCompletionException {
  public ActivityCanceledException(String message) {
    super("ActivityCanceled", message);
  }
}
