package dev.tempora.devserver;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A reply of a devserver endpoint: status, headers and body (JSON unless a header says otherwise). */
record LocalReply(int status, Map<String, String> headers, byte[] body) {
  LocalReply {
    headers = Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  /** A reply whose body (if any) is JSON. */
  static LocalReply json(int status, Map<String, String> headers, String body) {
    Map<String, String> h = new LinkedHashMap<>();
    if (body != null && !body.isEmpty()) h.put("Content-Type", "application/json");
    h.putAll(headers);
    return new LocalReply(status, h, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
