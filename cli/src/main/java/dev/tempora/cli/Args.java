package dev.tempora.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.internal.client.RequestValidator;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Argument helpers shared by the commands. */
final class Args {
  private Args() {}

  /** JSON values; {@code first} is the position of the first for messages. */
  static ArrayNode json(List<String> raw, int first) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (int i = 0; i < raw.size(); i++) out.add(Json.value(raw.get(i), "argument " + (first + i)));
    return out;
  }

  static JsonNode optionalJson(String raw, String what) {
    return raw == null ? null : Json.value(raw, what);
  }

  /**
   * A workflow id that goes into a path: checked as the API checks a body's (a lone surrogate could
   * not be sent as itself in a URL, and would alias another id).
   */
  static String workflowId(String id) {
    try {
      return RequestValidator.workflowId(id);
    } catch (InvalidRequestException e) {
      throw new CliError.Refused(e.getError() + ": " + e.getDetail());
    }
  }

  /** 30s, 2m, 1h, 500ms, a bare number of seconds, or ISO-8601 (PT30S); positive. */
  static Duration duration(String v, String option) {
    try {
      String s = v.trim().toLowerCase(Locale.ROOT);
      Duration d;
      if (s.startsWith("p")) d = Duration.parse(v.trim());
      else if (s.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      else if (s.endsWith("s")) d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      else if (s.endsWith("m")) d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      else if (s.endsWith("h")) d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      else if (s.endsWith("d")) d = Duration.ofDays(Long.parseLong(s.substring(0, s.length() - 1)));
      else d = Duration.ofSeconds(Long.parseLong(s));
      if (!d.isNegative() && !d.isZero()) return d;
    } catch (RuntimeException e) {
      // fall through
    }
    throw new CliError.Usage("bad " + option + " '" + v + "' (e.g. 30s, 2m, 1h, 500ms, PT2H)");
  }

  static String query(String... pairs) {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (pairs[i + 1] == null) continue;
      q.append(q.isEmpty() ? "?" : "&").append(pairs[i]).append('=').append(HttpApiClient.enc(pairs[i + 1]));
    }
    return q.toString();
  }
}
