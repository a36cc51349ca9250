package dev.tempora.client;

/**
 * The token's (or id's) activity attempt is not open: its run is closed or unknown, the activity
 * has an outcome already, or the attempt is not the current one (it timed out and was retried, or
 * was completed). Reason {@code ActivityNotExists}.
 */
public final class ActivityNotExistsException extends ActivityCompletionException {
  public ActivityNotExistsException(String message) {
    super("ActivityNotExists", message);
  }
}
