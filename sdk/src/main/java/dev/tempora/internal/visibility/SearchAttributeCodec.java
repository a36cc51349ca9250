package dev.tempora.internal.visibility;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.common.IndexedValueType;
import dev.tempora.common.SearchAttributeKey;
import dev.tempora.common.SearchAttributeUpdate;
import dev.tempora.common.SearchAttributes;
import dev.tempora.history.SearchAttributeValue;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Typed search attributes (the public {@link SearchAttributes}) to and from what history records
 * ({@link SearchAttributeValue} by name), with the checks both directions share.
 */
public final class SearchAttributeCodec {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  /** As Temporal's default per-run limits: 100 attributes, 2 KB per keyword, 40 KB in all. */
  public static final int MAX_ATTRIBUTES = 100;
  public static final int MAX_TOTAL_BYTES = 40 * 1024;

  private SearchAttributeCodec() {}

  /** The start's attributes by name. @throws InvalidRequestException {@code InvalidSearchAttributes} */
  public static Map<String, SearchAttributeValue> encode(SearchAttributes attributes) {
    Map<String, SearchAttributeValue> out = new TreeMap<>();
    if (attributes == null) {
      return out;
    }
    attributes.getUntypedValues().forEach((k, v) -> out.put(name(k.getName()), value(k, v)));
    return checkSize(out);
  }

  /** An upsert's changes by name (a null value unsets). @throws InvalidRequestException {@code InvalidSearchAttributes} */
  public static Map<String, SearchAttributeValue> encode(SearchAttributeUpdate<?>... updates) {
    Map<String, SearchAttributeValue> out = new LinkedHashMap<>();
    for (SearchAttributeUpdate<?> u : updates) {
      SearchAttributeKey<?> k = u.getKey();
      out.put(name(k.getName()), u.getValue().map(v -> value(k, v))
          .orElseGet(() -> new SearchAttributeValue(k.getValueType(), null)));
    }
    return out;
  }

  /** {@code current} with {@code changes} applied (null values remove). */
  public static Map<String, SearchAttributeValue> apply(Map<String, SearchAttributeValue> current,
      Map<String, SearchAttributeValue> changes) {
    Map<String, SearchAttributeValue> out = new TreeMap<>(current);
    changes.forEach((k, v) -> {
      if (v.isUnset()) {
        out.remove(k);
      } else {
        out.put(k, v);
      }
    });
    return checkSize(out);
  }

  /** The typed form of recorded attributes. */
  public static SearchAttributes decode(Map<String, SearchAttributeValue> values) {
    if (values == null || values.isEmpty()) {
      return SearchAttributes.EMPTY;
    }
    SearchAttributes.Builder b = SearchAttributes.newBuilder();
    values.forEach((name, v) -> {
      if (!v.isUnset()) {
        b.set(SearchAttributeKey.forUntyped(name, v.type()), typed(v));
      }
    });
    return b.build();
  }

  /** The value as the public API types it (Long, Double, OffsetDateTime, List of String...). */
  public static Object typed(SearchAttributeValue v) {
    return switch (v.type()) {
      case DATETIME -> OffsetDateTime.parse((String) v.value());
      case KEYWORD, TEXT, INT, DOUBLE, BOOL, KEYWORD_LIST -> v.value();
    };
  }

  private static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw refuse("search attribute name '" + name + "' is not a name (letters, digits and _, at most 64, "
          + "not starting with a digit)");
    }
    if (SystemField.reserved(name)) {
      throw refuse("search attribute name '" + name + "' is reserved for a system field");
    }
    return name;
  }

  private static SearchAttributeValue value(SearchAttributeKey<?> k, Object v) {
    try {
      return new SearchAttributeValue(k.getValueType(), v);
    } catch (IllegalArgumentException e) {
      throw refuse("search attribute " + k.getName() + ": " + e.getMessage());
    }
  }

  private static Map<String, SearchAttributeValue> checkSize(Map<String, SearchAttributeValue> all) {
    if (all.size() > MAX_ATTRIBUTES) {
      throw refuse("a run may have at most " + MAX_ATTRIBUTES + " search attributes, this one would have " + all.size());
    }
    long bytes = 0;
    for (Map.Entry<String, SearchAttributeValue> e : all.entrySet()) {
      bytes += e.getKey().length() + String.valueOf(e.getValue().value()).length();
      if (e.getValue().type() == IndexedValueType.KEYWORD && ((String) e.getValue().value()).length() > 2048) {
        throw refuse("keyword search attribute " + e.getKey() + " is over 2 KB");
      }
    }
    if (bytes > MAX_TOTAL_BYTES) {
      throw refuse("a run's search attributes may take at most " + MAX_TOTAL_BYTES + " bytes, these take " + bytes);
    }
    return all;
  }

  private static InvalidRequestException refuse(String detail) {
    return new InvalidRequestException(InvalidRequestException.INVALID_SEARCH_ATTRIBUTES, detail);
  }

  /** The values as plain JSON-like Java values by name (describe over HTTP, the CLI). */
  public static Map<String, Object> plain(Map<String, SearchAttributeValue> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, v.value() instanceof List<?> l ? List.copyOf(l) : v.value()));
    return out;
  }
}
