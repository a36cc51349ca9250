package dev.tempora.internal.visibility;

import java.util.List;

/**
 * A parsed list query: an optional filter and the order ({@code ORDER BY StartTime DESC} unless
 * it says ASC). {@link ListQueryParser} makes one; {@link RowFilter} evaluates it on a run.
 */
public record ListQuery(Expr filter, boolean ascending) {

  /** The filter's syntax tree. Fields are names as written (system fields or search attributes). */
  public sealed interface Expr {}

  public record And(List<Expr> terms) implements Expr {}

  public record Or(List<Expr> terms) implements Expr {}

  public enum Op { EQ, NE, LT, LE, GT, GE }

  public record Compare(String field, Op op, Object literal) implements Expr {}

  public record In(String field, List<Object> literals, boolean negated) implements Expr {}

  public record Between(String field, Object low, Object high, boolean negated) implements Expr {}

  public record StartsWith(String field, String prefix) implements Expr {}

  public record IsNull(String field, boolean negated) implements Expr {}
}
