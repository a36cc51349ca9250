package dev.tempora.common;

/** The type of a search attribute's values (Temporal's {@code IndexedValueType}). */
public enum IndexedValueType {
  /** Exact-match string (ids, states); queried with =, !=, IN, STARTS_WITH and comparisons. */
  KEYWORD,
  /** Free text; {@code =} matches when every word of the literal is a word of the value (case-insensitive). */
  TEXT,
  INT,
  DOUBLE,
  BOOL,
  DATETIME,
  /** A list of keywords; {@code =} matches when the list holds the literal. */
  KEYWORD_LIST
}
