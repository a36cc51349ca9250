package dev.tempora.common;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * A typed search attribute name (as Temporal's {@code SearchAttributeKey}): the name a list query
 * filters on ({@code CustomerId = 'c-7'}) and the type of its values.
 *
 * <pre>{@code
 * static final SearchAttributeKey<String> CUSTOMER = SearchAttributeKey.forKeyword("CustomerId");
 * Workflow.upsertTypedSearchAttributes(CUSTOMER.valueSet("c-7"));
 * }</pre>
 */
public final class SearchAttributeKey<T> {
  private final String name;
  private final IndexedValueType valueType;
  private final Class<?> valueClass;

  private SearchAttributeKey(String name, IndexedValueType valueType, Class<?> valueClass) {
    this.name = Objects.requireNonNull(name, "name");
    this.valueType = valueType;
    this.valueClass = valueClass;
  }

  public static SearchAttributeKey<String> forKeyword(String name) {
    return new SearchAttributeKey<>(name, IndexedValueType.KEYWORD, String.class);
  }

  public static SearchAttributeKey<String> forText(String name) {
    return new SearchAttributeKey<>(name, IndexedValueType.TEXT, String.class);
  }

  public static SearchAttributeKey<Long> forLong(String name) {
    return new SearchAttributeKey<>(name, IndexedValueType.INT, Long.class);
  }

  public static SearchAttributeKey<Double> forDouble(String name) {
    return new SearchAttributeKey<>(name, IndexedValueType.DOUBLE, Double.class);
  }

  public static SearchAttributeKey<Boolean> forBoolean(String name) {
    return new SearchAttributeKey<>(name, IndexedValueType.BOOL, Boolean.class);
  }

  public static SearchAttributeKey<OffsetDateTime> forOffsetDateTime(String name) {
    return new SearchAttributeKey<>(name, IndexedValueType.DATETIME, OffsetDateTime.class);
  }

  public static SearchAttributeKey<List<String>> forKeywordList(String name) {
    return new SearchAttributeKey<>(name, IndexedValueType.KEYWORD_LIST, List.class);
  }

  /** A key of any type, for code that reads types at run time (the HTTP API). */
  public static SearchAttributeKey<Object> forUntyped(String name, IndexedValueType type) {
    Class<?> c = switch (type) {
      case KEYWORD, TEXT -> String.class;
      case INT -> Long.class;
      case DOUBLE -> Double.class;
      case BOOL -> Boolean.class;
      case DATETIME -> OffsetDateTime.class;
      case KEYWORD_LIST -> List.class;
    };
    return new SearchAttributeKey<>(name, type, c);
  }

  public String getName() { return name; }
  public IndexedValueType getValueType() { return valueType; }
  public Class<?> getValueClass() { return valueClass; }

  /** An update that sets this attribute to {@code value}. */
  public SearchAttributeUpdate<T> valueSet(T value) {
    return SearchAttributeUpdate.valueSet(this, value);
  }

  /** An update that removes this attribute from the run. */
  public SearchAttributeUpdate<T> valueUnset() {
    return SearchAttributeUpdate.valueUnset(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchAttributeKey<?> k && k.name.equals(name) && k.valueType == valueType;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, valueType);
  }

  @Override
  public String toString() {
    return name + ":" + valueType;
  }
}
