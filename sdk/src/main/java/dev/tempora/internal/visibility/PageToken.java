package dev.tempora.internal.visibility;

import dev.tempora.client.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Where the next page starts: the sort key of the last row returned and the run ids returned with
 * exactly that key (runs of one workflow id started at the same instant share it). Opaque to
 * callers: base64url text.
 */
public record PageToken(String sortKey, List<String> runIdsAtKey) {
  private static final String VERSION = "v1";

  public PageToken {
    runIdsAtKey = List.copyOf(runIdsAtKey);
  }

  public String encode() {
    String raw = VERSION + "\n" + sortKey + "\n" + String.join(",", runIdsAtKey);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Null for a null or empty token (the first page). */
  public static PageToken decode(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = raw.split("\n", -1);
      if (parts.length != 3 || !parts[0].equals(VERSION) || parts[1].isEmpty()) {
        throw new IllegalArgumentException("bad shape");
      }
      return new PageToken(parts[1], parts[2].isEmpty() ? List.of() : Arrays.asList(parts[2].split(",")));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(InvalidRequestException.INVALID_FIELD,
          "pageToken is not a token a listing returned");
    }
  }
}
