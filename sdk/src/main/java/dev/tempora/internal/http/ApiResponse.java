package dev.tempora.internal.http;

import java.util.Map;

/** A JSON response: status, extra headers (Content-Type is always application/json) and the body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {
  public static final String CONTENT_TYPE = "application/json";

  public ApiResponse {
    headers = Map.copyOf(headers);
  }
}
