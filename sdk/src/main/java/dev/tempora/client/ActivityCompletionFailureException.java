package dev.tempora.client;

/**
 * The request itself is refused: a task token that is malformed, signed with another key or
 * altered ({@code InvalidTaskToken}), or an argument that is not well formed.
 */
public final class ActivityCompletionFailureException extends ActivityCompletionException {
  public ActivityCompletionFailureException(String reason, String message) {
    super(reason, message);
  }
}
