package dev.tempora.common;

import java.util.Objects;
import java.util.Optional;

/** One change of {@code Workflow.upsertTypedSearchAttributes}: set a value, or unset (empty value). */
public final class SearchAttributeUpdate<T> {
  private final SearchAttributeKey<T> key;
  private final T value;

  private SearchAttributeUpdate(SearchAttributeKey<T> key, T value) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = value;
  }

  public static <T> SearchAttributeUpdate<T> valueSet(SearchAttributeKey<T> key, T value) {
    return new SearchAttributeUpdate<>(key, Objects.requireNonNull(value, "value (use valueUnset to remove)"));
  }

  public static <T> SearchAttributeUpdate<T> valueUnset(SearchAttributeKey<T> key) {
    return new SearchAttributeUpdate<>(key, null);
  }

  public SearchAttributeKey<T> getKey() { return key; }

  /** The new value; empty: the attribute is removed. */
  public Optional<T> getValue() { return Optional.ofNullable(value); }

  @Override
  public String toString() {
    return key.getName() + (value == null ? " unset" : " = " + value);
  }
}
