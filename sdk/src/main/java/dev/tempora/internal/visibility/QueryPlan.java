package dev.tempora.internal.visibility;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.internal.visibility.ListQuery.And;
import dev.tempora.internal.visibility.ListQuery.Between;
import dev.tempora.internal.visibility.ListQuery.Compare;
import dev.tempora.internal.visibility.ListQuery.Expr;
import dev.tempora.internal.visibility.ListQuery.In;
import dev.tempora.internal.visibility.ListQuery.Op;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How a store answers a list query: which key range it reads, and whether rows in it must also be
 * filtered. Taken from the query's top-level AND terms:
 * <ul>
 *   <li>{@code WorkflowId = 'x'}: the id's own runs (the base table's partition on DynamoDB);
 *   <li>{@code ExecutionStatus = / IN}: only those statuses' index partitions (all seven otherwise);
 *   <li>{@code StartTime} comparisons and BETWEEN: a range of the index's sort key.
 * </ul>
 * Every other term (and any OR at the top) is evaluated on each row read: the query is
 * {@code filtered}, and its cost is the rows in the key range, not the rows it returns. A
 * filtered query over every status without a StartTime lower bound reads the namespace's whole
 * visibility index: {@link #requireBounded} refuses it ({@code QueryRequiresScan}) unless allowed.
 *
 * @param startFrom inclusive lower bound of StartTime, or null
 * @param startUntil exclusive upper bound of StartTime, or null
 * @param twoWorkflowIds two different {@code WorkflowId =} terms: nothing matches
 */
public record QueryPlan(ListQuery query, Set<WorkflowExecutionStatus> statuses, Instant startFrom, Instant startUntil,
    String workflowId, boolean filtered, boolean twoWorkflowIds) {

  public static QueryPlan of(ListQuery query) {
    Set<WorkflowExecutionStatus> statuses = EnumSet.allOf(WorkflowExecutionStatus.class);
    Instant from = null;
    Instant until = null;
    String workflowId = null;
    boolean twoIds = false;
    boolean filtered = false;
    List<Expr> terms = query.filter() == null ? List.of()
        : query.filter() instanceof And a ? a.terms() : List.of(query.filter());
    for (Expr t : terms) {
      boolean keyed = true;
      switch (t) {
        case Compare c when c.field().equals(SystemField.ExecutionStatus.name()) && c.op() == Op.EQ ->
            statuses.retainAll(EnumSet.of(RowFilter.status((String) c.literal())));
        case In in when in.field().equals(SystemField.ExecutionStatus.name()) && !in.negated() -> {
          Set<WorkflowExecutionStatus> named = EnumSet.noneOf(WorkflowExecutionStatus.class);
          in.literals().forEach(l -> named.add(RowFilter.status((String) l)));
          statuses.retainAll(named);
        }
        case Compare c when c.field().equals(SystemField.StartTime.name()) && c.op() != Op.NE -> {
          Instant at = RowFilter.instant((String) c.literal());
          switch (c.op()) {
            case GE -> from = later(from, at);
            case GT -> from = later(from, at.plusNanos(1));
            case LT -> until = earlier(until, at);
            case LE -> until = earlier(until, at.plusNanos(1));
            case EQ -> {
              from = later(from, at);
              until = earlier(until, at.plusNanos(1));
            }
            case NE -> throw new IllegalStateException();
          }
        }
        case Between b when b.field().equals(SystemField.StartTime.name()) && !b.negated() -> {
          from = later(from, RowFilter.instant((String) b.low()));
          until = earlier(until, RowFilter.instant((String) b.high()).plusNanos(1));
        }
        case Compare c when c.field().equals(SystemField.WorkflowId.name()) && c.op() == Op.EQ -> {
          twoIds |= workflowId != null && !workflowId.equals(c.literal());
          workflowId = (String) c.literal();
        }
        default -> keyed = false;
      }
      filtered |= !keyed;
    }
    return new QueryPlan(query, statuses, from, until, workflowId, filtered, twoIds);
  }

  /** True when no run can match (contradictory key terms): nothing needs reading. */
  public boolean empty() {
    return statuses.isEmpty() || (startFrom != null && startUntil != null && !startFrom.isBefore(startUntil))
        || twoWorkflowIds;
  }

  /** Whether answering reads the namespace's whole visibility index (see the class comment). */
  public boolean needsScan() {
    return workflowId == null && filtered && statuses.size() == WorkflowExecutionStatus.values().length
        && startFrom == null;
  }

  /** @throws InvalidRequestException {@code QueryRequiresScan} if the query needs a scan and none is allowed */
  public QueryPlan requireBounded(boolean allowScan) {
    if (needsScan() && !allowScan) {
      throw new InvalidRequestException(InvalidRequestException.QUERY_REQUIRES_SCAN,
          "this query filters on fields the visibility index is not keyed by, over every status and all start times, "
              + "so it would read every run of the namespace; add ExecutionStatus = '...' or a StartTime lower bound "
              + "(StartTime > '...'), query one WorkflowId, or allow a scan (allowScan)");
    }
    return this;
  }

  public boolean ascending() {
    return query.ascending();
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }
}
