package dev.tempora.internal.visibility;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.visibility.ListQuery.And;
import dev.tempora.internal.visibility.ListQuery.Between;
import dev.tempora.internal.visibility.ListQuery.Compare;
import dev.tempora.internal.visibility.ListQuery.Expr;
import dev.tempora.internal.visibility.ListQuery.In;
import dev.tempora.internal.visibility.ListQuery.IsNull;
import dev.tempora.internal.visibility.ListQuery.Op;
import dev.tempora.internal.visibility.ListQuery.Or;
import dev.tempora.internal.visibility.ListQuery.StartsWith;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Evaluates a list query's filter on one run, the same way on both stores (DynamoDB reads the
 * key range, this decides each row). A field the run lacks matches nothing but {@code IS NULL};
 * a comparison a type does not define (a boolean with {@code <}) matches nothing.
 */
public final class RowFilter {
  private RowFilter() {}

  public static boolean matches(Expr e, VisibilityRow row) {
    if (e == null) {
      return true;
    }
    return switch (e) {
      case And a -> a.terms().stream().allMatch(t -> matches(t, row));
      case Or o -> o.terms().stream().anyMatch(t -> matches(t, row));
      case Compare c -> {
        Value v = value(c.field(), row);
        yield v != null && (c.op() == Op.NE ? !v.equalsLiteral(c.literal()) : v.compare(c.op(), c.literal()));
      }
      case In in -> {
        Value v = value(in.field(), row);
        yield v != null && in.negated() != in.literals().stream().anyMatch(v::equalsLiteral);
      }
      case Between b -> {
        Value v = value(b.field(), row);
        yield v != null && b.negated() != (v.compare(Op.GE, b.low()) && v.compare(Op.LE, b.high()));
      }
      case StartsWith s -> {
        Value v = value(s.field(), row);
        yield v instanceof Text t && t.exact() && t.value().startsWith(s.prefix());
      }
      case IsNull n -> (value(n.field(), row) == null) != n.negated();
    };
  }

  /** The status Temporal's name ({@code 'ContinuedAsNew'}, any case) names, or null. */
  public static WorkflowExecutionStatus status(String name) {
    return Arrays.stream(WorkflowExecutionStatus.values())
        .filter(s -> s.name().replace("_", "").equalsIgnoreCase(name.replace("_", "")))
        .findFirst().orElse(null);
  }

  /** Temporal's name of a status: {@code ContinuedAsNew}. */
  public static String statusName(WorkflowExecutionStatus s) {
    StringBuilder b = new StringBuilder();
    for (String part : s.name().split("_")) {
      b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return b.toString();
  }

  /** An ISO date-time (with offset or Z), or null. */
  public static Instant instant(String s) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Value value(String field, VisibilityRow row) {
    RunRecord r = row.record();
    SystemField f = SystemField.of(field).orElse(null);
    if (f != null) {
      return switch (f) {
        case WorkflowId -> new Text(r.run().workflowId(), true);
        case RunId -> new Text(r.run().runId(), true);
        case WorkflowType -> new Text(r.workflowType(), true);
        case TaskQueue -> new Text(r.taskQueue(), true);
        case ExecutionStatus -> new Status(r.status());
        case StartTime -> new Time(r.startTime());
        case CloseTime -> r.closeTime() == null ? null : new Time(r.closeTime());
      };
    }
    SearchAttributeValue sa = row.searchAttributes().get(field);
    if (sa == null || sa.isUnset()) {
      return null;
    }
    Object v = sa.value();
    return switch (sa.type()) {
      case KEYWORD -> new Text((String) v, true);
      case TEXT -> new Text((String) v, false);
      case INT, DOUBLE -> new Num(new BigDecimal(v.toString()));
      case BOOL -> new Bool((Boolean) v);
      case DATETIME -> new Time(instant((String) v));
      case KEYWORD_LIST -> new Keywords(((List<?>) v).stream().map(Object::toString).toList());
    };
  }

  private static boolean holds(Op op, int c) {
    return switch (op) {
      case EQ -> c == 0;
      case NE -> c != 0;
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      case GE -> c >= 0;
    };
  }

  /** A field's value on one run, compared with a query literal. */
  private sealed interface Value {
    boolean compare(Op op, Object literal);

    default boolean equalsLiteral(Object literal) {
      return compare(Op.EQ, literal);
    }
  }

  /** {@code exact}: a keyword (and system strings); otherwise free text, where = matches words. */
  private record Text(String value, boolean exact) implements Value {
    public boolean compare(Op op, Object literal) {
      if (!(literal instanceof String s)) {
        return false;
      }
      if (!exact) {
        return op == Op.EQ && words(value).containsAll(words(s));
      }
      return holds(op, value.compareTo(s));
    }

    private static Set<String> words(String s) {
      return new HashSet<>(Arrays.asList(s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
    }
  }

  private record Num(BigDecimal value) implements Value {
    public boolean compare(Op op, Object literal) {
      BigDecimal other;
      if (literal instanceof Number n) {
        other = new BigDecimal(n.toString());
      } else if (literal instanceof String s) {
        try {
          other = new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
          return false;
        }
      } else {
        return false;
      }
      return holds(op, value.compareTo(other));
    }
  }

  private record Bool(boolean value) implements Value {
    public boolean compare(Op op, Object literal) {
      Boolean other = literal instanceof Boolean b ? b
          : literal instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))
              ? Boolean.parseBoolean(s) : null;
      return other != null && (op == Op.EQ ? value == other : op == Op.NE && value != other);
    }
  }

  private record Time(Instant value) implements Value {
    public boolean compare(Op op, Object literal) {
      Instant other = literal instanceof String s ? instant(s) : null;
      return other != null && value != null && holds(op, value.compareTo(other));
    }
  }

  /** Statuses by Temporal's names, any case: = and != only. */
  private record Status(WorkflowExecutionStatus value) implements Value {
    public boolean compare(Op op, Object literal) {
      WorkflowExecutionStatus other = literal instanceof String s ? status(s) : null;
      return other != null && (op == Op.EQ ? value == other : op == Op.NE && value != other);
    }
  }

  /** A keyword list: = and IN match when the list holds the literal. */
  private record Keywords(List<String> values) implements Value {
    public boolean compare(Op op, Object literal) {
      return op == Op.EQ && literal instanceof String s && values.contains(s);
    }
  }
}
