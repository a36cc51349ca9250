package dev.tempora.internal.visibility;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.common.IndexedValueType;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The list-query grammar, the key plan taken from it, row matching, and paging over ties. */
class ListQueryTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static VisibilityRow row(String workflowId, String runId, WorkflowExecutionStatus status, Instant start,
      Map<String, SearchAttributeValue> attributes) {
    return new VisibilityRow(new RunRecord(new RunKey("ns", workflowId, runId), "Order", "default", status, start,
        status.isClosed() ? start.plusSeconds(60) : null, null, null), attributes);
  }

  private static boolean matches(String query, VisibilityRow row) {
    return RowFilter.matches(ListQueryParser.parse(query).filter(), row);
  }

  private static String error(String query) {
    return assertThrows(InvalidRequestException.class, () -> QueryPlan.of(ListQueryParser.parse(query))
        .requireBounded(false)).getError();
  }

  @Test
  void theIssuesExampleParsesIntoAKeyRangeAndAFilter() {
    QueryPlan plan = QueryPlan.of(ListQueryParser.parse("WorkflowType = 'X' AND ExecutionStatus = 'Running' AND "
        + "CustomerId = 'c-7' AND StartTime > '2026-01-01T00:00:00Z' ORDER BY StartTime DESC"));
    assertEquals(EnumSet.of(WorkflowExecutionStatus.RUNNING), plan.statuses());
    assertEquals(T0.plusNanos(1), plan.startFrom());
    assertNull(plan.startUntil());
    assertTrue(plan.filtered());
    assertFalse(plan.needsScan());
    assertFalse(plan.ascending());
  }

  @Test
  void keyTermsNarrowTheRangeAndAloneNeedNoFilter() {
    QueryPlan plan = QueryPlan.of(ListQueryParser.parse("ExecutionStatus IN ('Completed', 'failed') AND "
        + "StartTime BETWEEN '2026-01-01T00:00:00Z' AND '2026-01-02T00:00:00+00:00' AND StartTime <= '2026-01-01T12:00:00Z' "
        + "ORDER BY StartTime asc"));
    assertEquals(EnumSet.of(WorkflowExecutionStatus.COMPLETED, WorkflowExecutionStatus.FAILED), plan.statuses());
    assertEquals(T0, plan.startFrom());
    assertEquals(T0.plusSeconds(12 * 3600).plusNanos(1), plan.startUntil());
    assertFalse(plan.filtered());
    assertTrue(plan.ascending());
    assertTrue(QueryPlan.of(ListQueryParser.parse("ExecutionStatus = 'Running' AND ExecutionStatus = 'Completed'")).empty());
    assertEquals("x", QueryPlan.of(ListQueryParser.parse("WorkflowId = 'x' AND Amount > 3")).workflowId());
    assertTrue(QueryPlan.of(ListQueryParser.parse("WorkflowId = 'x' AND WorkflowId = 'y'")).empty());
    assertFalse(QueryPlan.of(ListQueryParser.parse("WorkflowId = 'x' AND WorkflowId = 'x'")).empty());
  }

  @Test
  void aFilterOverEveryStatusAndAllStartTimesNeedsAScan() {
    assertEquals("QueryRequiresScan", error("CustomerId = 'c-7'"));
    assertEquals("QueryRequiresScan", error("WorkflowType = 'X' OR ExecutionStatus = 'Running'"));
    assertEquals("QueryRequiresScan", error("ExecutionStatus != 'Running' AND CustomerId = 'c'"));
    assertEquals("QueryRequiresScan", error("StartTime < '2026-01-01T00:00:00Z' AND CustomerId = 'c'"));
    assertDoesNotThrow(() -> QueryPlan.of(ListQueryParser.parse("CustomerId = 'c-7'")).requireBounded(true));
    for (String bounded : List.of("", "ExecutionStatus = 'Running' AND CustomerId = 'c'",
        "StartTime >= '2026-01-01T00:00:00Z' AND CustomerId = 'c'", "WorkflowId = 'w' AND CustomerId = 'c'",
        "StartTime < '2026-01-01T00:00:00Z'")) {
      assertDoesNotThrow(() -> QueryPlan.of(ListQueryParser.parse(bounded)).requireBounded(false), bounded);
    }
  }

  @Test
  void malformedAndUnsupportedQueriesHaveTheirNames() {
    for (String bad : List.of("CustomerId =", "CustomerId = 'c", "= 'x'", "A = 1 AND", "(A = 1", "A = 1)",
        "A == 1", "A = x", "ExecutionStatus = 'Sleeping'", "StartTime > 'yesterday'", "WorkflowId = 3",
        "A NOT = 1", "A = 1 ; DROP TABLE", "ExecutionStatus > 'Running'")) {
      assertEquals("InvalidQuery", error(bad), bad);
    }
    for (String unsupported : List.of("ExecutionStatus = 'Running' ORDER BY CloseTime", "A LIKE 'x%'",
        "ExecutionStatus = 'Running' GROUP BY ExecutionStatus")) {
      assertEquals("UnsupportedQuery", error(unsupported), unsupported);
    }
  }

  @Test
  void rowsMatchByTheirAttributesTypes() {
    VisibilityRow r = row("w", "r", WorkflowExecutionStatus.CONTINUED_AS_NEW, T0, Map.of(
        "Customer", new SearchAttributeValue(IndexedValueType.KEYWORD, "c-7"),
        "Note", new SearchAttributeValue(IndexedValueType.TEXT, "Express delivery, Berlin"),
        "Amount", new SearchAttributeValue(IndexedValueType.INT, 250),
        "Score", new SearchAttributeValue(IndexedValueType.DOUBLE, 0.75),
        "Vip", new SearchAttributeValue(IndexedValueType.BOOL, true),
        "Due", new SearchAttributeValue(IndexedValueType.DATETIME, "2026-02-01T09:00:00+01:00"),
        "Tags", new SearchAttributeValue(IndexedValueType.KEYWORD_LIST, List.of("fragile", "gift"))));
    for (String yes : List.of("ExecutionStatus = 'ContinuedAsNew'", "Customer = 'c-7'", "Customer IN ('a', 'c-7')",
        "Customer STARTS_WITH 'c-'", "Customer > 'c-1'", "Note = 'berlin'", "Note = 'delivery express'",
        "Amount = 250", "Amount BETWEEN 100 AND 300", "Amount > 249.5", "Score < 1", "Score = 0.75", "Vip = true",
        "Vip != false", "Due = '2026-02-01T08:00:00Z'", "Due < '2026-02-01T08:00:01Z'", "Tags = 'gift'",
        "Tags IN ('x', 'fragile')", "Missing IS NULL", "Customer IS NOT NULL", "Amount NOT IN (1, 2)",
        "Amount NOT BETWEEN 1 AND 2", "CloseTime > '2026-01-01T00:00:30Z'", "WorkflowId = 'w' AND RunId = 'r'",
        "(Customer = 'x' OR Amount = 250) AND Vip = true", "`Customer` = \"c-7\"", "Customer = 'c-7' and Vip = true or A = 1")) {
      assertTrue(matches(yes, r), yes);
    }
    for (String no : List.of("ExecutionStatus = 'Running'", "Customer = 'c-8'", "Note = 'hamburg'",
        "Note = 'Express delivery, Berlin, Hamburg'", "Amount < 250", "Vip = false", "Tags = 'frag'",
        "Missing = 'x'", "Missing != 'x'", "Customer IS NULL", "Vip > true", "Amount = 'many'",
        "Due > '2026-02-01T08:00:00Z'", "Note STARTS_WITH 'Express'")) {
      assertFalse(matches(no, r), no);
    }
  }

  @Test
  void pagesWalkTiesOnTheSortKeyWithoutLosingOrRepeatingARun() {
    List<VisibilityRow> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(row("same", "run-" + i, WorkflowExecutionStatus.COMPLETED, T0, Map.of()));  // one key, five runs
    }
    rows.add(row("later", "run-x", WorkflowExecutionStatus.RUNNING, T0.plusSeconds(1), Map.of()));
    for (boolean ascending : List.of(false, true)) {
      List<String> seen = new ArrayList<>();
      PageToken token = null;
      do {
        VisibilityPage page = VisibilityPage.of(rows, ascending, token, 2);
        page.rows().forEach(r -> seen.add(r.record().run().runId()));
        token = PageToken.decode(page.nextPageToken());
      } while (token != null);
      assertEquals(6, seen.size(), seen.toString());
      assertEquals(6, seen.stream().distinct().count(), seen.toString());
      assertEquals(ascending ? "run-x" : "run-x", ascending ? seen.get(5) : seen.get(0));
    }
    assertEquals("InvalidField", assertThrows(InvalidRequestException.class, () -> PageToken.decode("not a token"))
        .getError());
  }
}
