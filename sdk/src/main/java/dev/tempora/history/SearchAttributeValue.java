package dev.tempora.history;

import dev.tempora.common.IndexedValueType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A search attribute's value as history and the visibility store record it: its type and a JSON
 * value (KEYWORD and TEXT a string, INT a long, DOUBLE a double, BOOL a boolean, DATETIME an ISO
 * offset date-time string, KEYWORD_LIST a list of strings). A null value in an upsert removes the
 * attribute.
 */
public record SearchAttributeValue(IndexedValueType type, Object value) {

  public SearchAttributeValue {
    if (type == null) {
      throw new IllegalArgumentException("search attribute value without a type");
    }
    value = value == null ? null : normalize(type, value);
  }

  public boolean isUnset() {
    return value == null;
  }

  /** The value in the JSON shape above; IllegalArgumentException if it does not fit the type. */
  private static Object normalize(IndexedValueType type, Object v) {
    return switch (type) {
      case KEYWORD, TEXT -> {
        if (!(v instanceof String s)) {
          throw new IllegalArgumentException(type + " value must be a string, was " + kind(v));
        }
        yield s;
      }
      case INT -> {
        if (!(v instanceof Number n) || (v instanceof Double || v instanceof Float) && n.doubleValue() != Math.rint(n.doubleValue())) {
          throw new IllegalArgumentException("INT value must be a whole number, was " + kind(v));
        }
        yield n.longValue();
      }
      case DOUBLE -> {
        if (!(v instanceof Number n)) {
          throw new IllegalArgumentException("DOUBLE value must be a number, was " + kind(v));
        }
        yield n.doubleValue();
      }
      case BOOL -> {
        if (!(v instanceof Boolean b)) {
          throw new IllegalArgumentException("BOOL value must be true or false, was " + kind(v));
        }
        yield b;
      }
      case DATETIME -> {
        if (v instanceof OffsetDateTime t) {
          yield DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        if (v instanceof String s) {
          try {
            yield DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(s));
          } catch (RuntimeException e) {
            throw new IllegalArgumentException("DATETIME value must be an ISO date-time with offset, was '" + s + "'");
          }
        }
        throw new IllegalArgumentException("DATETIME value must be a date-time, was " + kind(v));
      }
      case KEYWORD_LIST -> {
        if (!(v instanceof List<?> l) || l.stream().anyMatch(x -> !(x instanceof String))) {
          throw new IllegalArgumentException("KEYWORD_LIST value must be a list of strings, was " + kind(v));
        }
        yield List.copyOf(l);
      }
    };
  }

  private static String kind(Object v) {
    return v instanceof String ? "a string" : v instanceof Number ? "a number" : v instanceof Boolean ? "a boolean"
        : v instanceof List ? "a list" : "an object";
  }
}
