package dev.tempora.internal.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matches a method and a path against route templates such as {@code /workflows/{workflowId}/result}.
 * A path that some route matches with another method is a 405 (with the methods that would do), one
 * that no route matches a 404. Each route also names the query parameters it takes, so a misspelt
 * parameter is refused instead of ignored.
 */
final class Router {

  @FunctionalInterface
  interface Handler {
    ApiResponse handle(Call call);
  }

  /** A matched request: the decoded path variables and query parameters. */
  record Call(ApiRequest request, Map<String, String> path, Map<String, String> query) {
    String path(String name) {
      return path.get(name);
    }
  }

  private record Route(String method, List<String> template, Set<String> params, Handler handler) {}

  /** What matching found. */
  sealed interface Match {
    record Found(Handler handler, Call call) implements Match {}

    record WrongMethod(Set<String> allowed) implements Match {}

    record NotFound() implements Match {}
  }

  private final List<Route> routes = new ArrayList<>();

  Router add(String method, String template, Handler handler, String... params) {
    routes.add(new Route(method, segments(template), Set.of(params), handler));
    return this;
  }

  Match match(ApiRequest request) {
    List<String> path = decodedSegments(request.rawPath());
    Set<String> allowed = new LinkedHashSet<>();
    for (Route r : routes) {
      Map<String, String> vars = bind(r.template(), path);
      if (vars == null) {
        continue;
      }
      if (!r.method().equalsIgnoreCase(request.method())) {
        allowed.add(r.method());
        continue;
      }
      return new Match.Found(r.handler(), new Call(request, vars, queryParameters(request.rawQuery(), r.params())));
    }
    return allowed.isEmpty() ? new Match.NotFound() : new Match.WrongMethod(allowed);
  }

  /** The path variables if {@code path} fits {@code template}, else null. Variables must not be empty. */
  private static Map<String, String> bind(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      String p = path.get(i);
      if (t.startsWith("{")) {
        if (p.isEmpty()) {
          return null;
        }
        vars.put(t.substring(1, t.length() - 1), p);
      } else if (!t.equals(p)) {
        return null;
      }
    }
    return vars;
  }

  private static List<String> segments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1); // "/workflows/" is "/workflows"
    }
    return p.isEmpty() ? List.of() : Arrays.asList(p.split("/", -1));
  }

  /** Splits the raw path first, then decodes each segment, so an id's %2F stays inside its segment. */
  private static List<String> decodedSegments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : segments(rawPath == null ? "/" : rawPath)) {
      try {
        // In a path '+' is a plus, not a space (that is a query-string convention).
        out.add(decode(s));
      } catch (IllegalArgumentException e) {
        throw ApiError.INVALID_PATH.exception("path segment '" + s + "' has malformed percent-encoding or is not "
            + "UTF-8");
      }
    }
    return out;
  }

  /**
   * Percent-decoding strict about UTF-8: a run of %XX bytes that is not UTF-8 (such as an encoded
   * lone surrogate, %ED%A0%80) is refused, not replaced by U+FFFD as {@link java.net.URLDecoder}
   * does, so two different paths never decode to one id. Other characters are kept as they are.
   */
  static String decode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("incomplete escape in '" + s + "'");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad escape in '" + s + "'");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        flushUtf8(bytes, out, s);
        out.append(c);
      }
    }
    flushUtf8(bytes, out, s);
    return out.toString();
  }

  private static void flushUtf8(ByteArrayOutputStream bytes, StringBuilder out, String s) {
    if (bytes.size() == 0) {
      return;
    }
    try {
      out.append(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("escapes that are not UTF-8 in '" + s + "'", e);
    }
    bytes.reset();
  }

  private static Map<String, String> queryParameters(String rawQuery, Set<String> allowed) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key;
      String value;
      try {
        // In a query string '+' is a space.
        key = decode((eq < 0 ? pair : pair.substring(0, eq)).replace("+", "%20"));
        value = eq < 0 ? "" : decode(pair.substring(eq + 1).replace("+", "%20"));
      } catch (IllegalArgumentException e) {
        throw ApiError.INVALID_PARAMETER.exception("query parameter '" + pair + "' has malformed percent-encoding or "
            + "is not UTF-8");
      }
      if (!allowed.contains(key)) {
        throw ApiError.UNKNOWN_PARAMETER.exception("unknown query parameter '" + key + "'"
            + (allowed.isEmpty() ? ": this route takes none" : " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")"));
      }
      if (out.putIfAbsent(key, value) != null) {
        throw ApiError.INVALID_PARAMETER.exception("query parameter '" + key + "' is given more than once");
      }
    }
    return out;
  }
}
