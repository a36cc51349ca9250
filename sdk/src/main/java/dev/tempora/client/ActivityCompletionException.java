package dev.tempora.client;

/**
 * Base of what {@link ActivityCompletionClient} refuses, as in Temporal. The message starts with
 * the refusal's name ({@code ActivityNotExists: ...}, {@code InvalidTaskToken: ...}), which
 * {@link #getReason()} returns alone; nothing was recorded.
 */
public class ActivityCompletionException extends RuntimeException {
  private final String reason;

  public ActivityCompletionException(String reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  /** The refusal's name, as the HTTP API's {@code error} field gives it. */
  public String getReason() {
    return reason;
  }
}
