package dev.tempora.internal.http;

/** A request the API refuses, with the error name and a message saying what to change. */
public final class ApiException extends RuntimeException {
  private final ApiError error;

  public ApiException(ApiError error, String message) {
    super(message);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }
}
