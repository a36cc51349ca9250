package dev.tempora.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** The CLI's JSON: arguments are JSON values; bodies go out ASCII-escaped (a lone surrogate stays itself, not '?'). */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();
  static final ObjectMapper ASCII = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  static final ObjectMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private Json() {}

  /** One command-line argument as one JSON value; {@code position} names it in the usage error. */
  static JsonNode value(String s, String position) {
    try {
      JsonNode n = MAPPER.readTree(s);
      if (n == null || n.isMissingNode()) throw new IOException("empty");
      try (var p = MAPPER.createParser(s)) {
        p.nextToken();
        p.skipChildren();
        if (p.nextToken() != null) throw new IOException("trailing text");
      }
      return n;
    } catch (IOException e) {
      throw new CliError.Usage(position + " is not a JSON value: " + s + " (quote strings as JSON, e.g. '\""
          + s.replace("'", "").replace("\"", "") + "\"')");
    }
  }

  static String pretty(JsonNode n) {
    try {
      return PRETTY.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String compact(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
