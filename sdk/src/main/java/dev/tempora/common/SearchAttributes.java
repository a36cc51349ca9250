package dev.tempora.common;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A run's typed search attributes (as Temporal's {@code SearchAttributes}): set in
 * {@code WorkflowOptions.setTypedSearchAttributes}, changed by workflow code with
 * {@code Workflow.upsertTypedSearchAttributes}, read by {@code Workflow.getTypedSearchAttributes},
 * describe and list queries. Immutable; names in alphabetical order.
 */
public final class SearchAttributes {
  public static final SearchAttributes EMPTY = new SearchAttributes(Map.of());

  private final Map<SearchAttributeKey<?>, Object> values;

  private SearchAttributes(Map<SearchAttributeKey<?>, Object> values) {
    this.values = values;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static Builder newBuilder(SearchAttributes from) {
    Builder b = new Builder();
    b.values.putAll(from.values);
    return b;
  }

  /** The value under {@code key} (name and type must match), or null. */
  @SuppressWarnings("unchecked")
  public <T> T get(SearchAttributeKey<T> key) {
    return (T) values.get(key);
  }

  public boolean containsKey(SearchAttributeKey<?> key) {
    return values.containsKey(key);
  }

  public int size() {
    return values.size();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** Every value by its key, in name order. */
  public Map<SearchAttributeKey<?>, Object> getUntypedValues() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchAttributes s && s.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    Map<String, Object> byName = new LinkedHashMap<>();
    values.forEach((k, v) -> byName.put(k.getName(), v));
    return byName.toString();
  }

  public static final class Builder {
    private final Map<SearchAttributeKey<?>, Object> values = new LinkedHashMap<>();

    public <T> Builder set(SearchAttributeKey<T> key, T value) {
      Objects.requireNonNull(value, "value");
      values.keySet().removeIf(k -> k.getName().equals(key.getName()));  // one value per name
      values.put(key, value);
      return this;
    }

    public Builder unset(SearchAttributeKey<?> key) {
      values.keySet().removeIf(k -> k.getName().equals(key.getName()));
      return this;
    }

    public SearchAttributes build() {
      if (values.isEmpty()) {
        return EMPTY;
      }
      Map<SearchAttributeKey<?>, Object> sorted = new TreeMap<>((a, b) -> a.getName().compareTo(b.getName()));
      sorted.putAll(values);
      return new SearchAttributes(Collections.unmodifiableMap(new LinkedHashMap<>(sorted)));
    }
  }
}
