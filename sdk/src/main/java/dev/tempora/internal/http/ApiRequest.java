package dev.tempora.internal.http;

/**
 * An HTTP request as the API sees it, whatever carried it (API Gateway's event or the devserver's
 * socket). {@code rawPath} and {@code rawQuery} are still percent-encoded: a workflow id may hold a
 * {@code /} (sent as {@code %2F}), so the path is split before it is decoded.
 *
 * @param contentType the Content-Type header, or null if absent
 * @param body the body bytes (empty, never null)
 */
public record ApiRequest(String method, String rawPath, String rawQuery, String contentType, byte[] body) {
  public ApiRequest {
    body = body == null ? new byte[0] : body;
  }
}
