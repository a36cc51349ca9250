package dev.tempora.devserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/**
 * A request as a devserver endpoint sees it: read whole and within the listener's limits.
 * {@code rawPath} and {@code rawQuery} are as sent (still percent-encoded; null query if none).
 */
record LocalRequest(String method, String rawPath, String rawQuery, HttpFields headers, byte[] body) {

  /** The first value of a header, or null. */
  String header(String name) {
    return headers.get(name);
  }

  /** The path, percent-decoded (for endpoints whose names cannot hold an encoded slash). */
  String path() {
    return URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Query parameters, decoded; the first value of a repeated name wins. */
  Map<String, String> query() {
    Map<String, String> result = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) return result;
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      result.putIfAbsent(key, value);
    }
    return result;
  }
}
