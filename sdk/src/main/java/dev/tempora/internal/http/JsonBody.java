package dev.tempora.internal.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.internal.client.RequestValidator;
import dev.tempora.internal.converter.DataConverter;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A request body that must be a JSON object, read field by field so that each mistake gets its
 * own error name and a message naming the field. Unknown fields are refused rather than ignored:
 * a misspelt {@code "workflowID"} would otherwise start a workflow with a default the caller never
 * meant.
 */
public final class JsonBody {
  /**
   * The data converter's mapper, stricter for input we did not produce: a duplicate key or
   * anything after the object is an error, not "last one wins" or silently dropped.
   */
  static final ObjectMapper STRICT = DataConverter.get().mapper().copy()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ObjectNode node;

  private JsonBody(ObjectNode node) {
    this.node = node;
  }

  /** Parses {@code body}; an empty body is {@code {}} unless {@code required}. */
  public static JsonBody parse(byte[] body, boolean required, String what, String... allowedFields) {
    if (isBlank(body)) {
      if (required) {
        throw ApiError.BAD_JSON.exception("the request body is empty: " + what + " needs a JSON object");
      }
      return new JsonBody(STRICT.createObjectNode());
    }
    JsonNode parsed;
    try {
      parsed = STRICT.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.BAD_JSON.exception("the request body is not valid JSON: " + e.getOriginalMessage()
          + location(e));
    } catch (IOException e) {
      throw ApiError.BAD_JSON.exception("the request body could not be read: " + e.getMessage());
    }
    if (!(parsed instanceof ObjectNode object)) {
      throw ApiError.BAD_JSON.exception("the request body must be a JSON object, got " + kind(parsed));
    }
    Set<String> allowed = Set.of(allowedFields);
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        unknown.add(f);
      }
    }
    if (!unknown.isEmpty()) {
      throw ApiError.UNKNOWN_FIELD.exception("unknown field" + (unknown.size() > 1 ? "s " : " ")
          + unknown.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", ")) + " in " + what
          + " (allowed: " + String.join(", ", new TreeSet<>(Arrays.asList(allowedFields))) + ")");
    }
    return new JsonBody(object);
  }

  public String requiredString(String field) {
    String s = optionalString(field, null);
    if (s == null) {
      throw ApiError.MISSING_FIELD.exception("missing field '" + field + "' (a non-empty string)");
    }
    return s;
  }

  /** The field's string value; absent or JSON null gives {@code fallback}; an empty string is an error. */
  public String optionalString(String field, String fallback) {
    String s = optionalText(field, null);
    if (s == null) {
      return fallback;
    }
    if (s.isBlank()) {
      throw ApiError.MISSING_FIELD.exception("field '" + field + "' is empty");
    }
    return s;
  }

  /** Like {@link #optionalString} but an empty string is a value (a prefix may be empty). */
  public String optionalText(String field, String fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw ApiError.INVALID_FIELD.exception("field '" + field + "' must be a string, got " + kind(v));
    }
    return v.asText();
  }

  /** The field's value as it is, any JSON (JSON null when absent). */
  public JsonNode value(String field) {
    JsonNode v = node.get(field);
    return v == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : v;
  }

  /** The field's array value, or null when absent or JSON null. */
  public ArrayNode optionalArray(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!(v instanceof ArrayNode array)) {
      throw ApiError.INVALID_FIELD.exception("field '" + field + "' must be a JSON array of arguments, got "
          + kind(v) + " (a single argument x is written [x])");
    }
    return array;
  }

  /** The field's object value, or null when absent or JSON null; another kind of value is an error. */
  public ObjectNode optionalObject(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!(v instanceof ObjectNode object)) {
      throw ApiError.INVALID_FIELD.exception("field '" + field + "' must be an object, got " + kind(v));
    }
    return object;
  }

  /** The field's object value; absent, null or not an object is an error. */
  public ObjectNode requiredObject(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw ApiError.MISSING_FIELD.exception("missing field '" + field + "' (a JSON object)");
    }
    if (!(v instanceof ObjectNode object)) {
      throw ApiError.INVALID_FIELD.exception("field '" + field + "' must be an object, got " + kind(v));
    }
    return object;
  }

  public <E extends Enum<E>> E optionalEnum(String field, Class<E> type, E fallback) {
    String s = optionalString(field, null);
    if (s == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, s);
    } catch (IllegalArgumentException e) {
      throw ApiError.INVALID_FIELD.exception("field '" + field + "' is '" + s + "'; expected one of "
          + Arrays.toString(type.getEnumConstants()));
    }
  }

  static String kind(JsonNode v) {
    return RequestValidator.kind(v);
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
