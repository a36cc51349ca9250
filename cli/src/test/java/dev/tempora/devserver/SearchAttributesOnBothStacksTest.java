package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowExecutionMetadata;
import dev.tempora.client.WorkflowExecutionPage;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.common.SearchAttributeKey;
import dev.tempora.common.SearchAttributes;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.ChildWorkflowOptions;
import dev.tempora.workflow.ParentClosePolicy;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13's search attributes, memo upserts and list queries on both stacks: attributes set at
 * the start and upserted mid-run (each type), recorded in history, shown by describe, and found by
 * a list query of every documented form (docs/adr/0022-search-attributes-and-list-queries.md);
 * a query that would read every run refused with QueryRequiresScan unless allowed; count; paging.
 * Over the HTTP API and the CLI on the embedded stack too.
 */
class SearchAttributesOnBothStacksTest {
  static final SearchAttributeKey<String> BATCH = SearchAttributeKey.forKeyword("Batch");
  static final SearchAttributeKey<String> CUSTOMER = SearchAttributeKey.forKeyword("CustomerId");
  static final SearchAttributeKey<Long> AMOUNT = SearchAttributeKey.forLong("Amount");
  static final SearchAttributeKey<String> STAGE = SearchAttributeKey.forKeyword("Stage");
  static final SearchAttributeKey<String> NOTE = SearchAttributeKey.forText("Note");
  static final SearchAttributeKey<Double> SCORE = SearchAttributeKey.forDouble("Score");
  static final SearchAttributeKey<Boolean> VIP = SearchAttributeKey.forBoolean("Vip");
  static final SearchAttributeKey<OffsetDateTime> DUE = SearchAttributeKey.forOffsetDateTime("DueAt");
  static final SearchAttributeKey<List<String>> TAGS = SearchAttributeKey.forKeywordList("Tags");

  @WorkflowInterface
  public interface SaOrder {
    @WorkflowMethod
    String process(String note);

    /** Moves the order on: "paid" upserts the rest of the attributes, "done" ends the run. */
    @SignalMethod
    void advance(String stage);

    @QueryMethod
    String stage();
  }

  public static class SaOrderImpl implements SaOrder {
    private final List<String> stages = new ArrayList<>();
    private int applied;

    @Override
    public String process(String note) {
      Workflow.upsertTypedSearchAttributes(STAGE.valueSet("created"));
      while (true) {
        Workflow.await(() -> stages.size() > applied);
        String next = stages.get(applied++);
        if (next.equals("done")) {
          return Workflow.getTypedSearchAttributes().get(STAGE);
        }
        if (next.equals("paid")) {
          Workflow.upsertTypedSearchAttributes(STAGE.valueSet("paid"), NOTE.valueSet(note), SCORE.valueSet(0.75),
              VIP.valueSet(true), DUE.valueSet(OffsetDateTime.parse("2026-02-01T09:00:00+01:00")),
              TAGS.valueSet(List.of("fragile", "gift")));
          Workflow.upsertMemo(Map.of("paidBy", "card"));
        } else if (next.equals("downgraded")) {
          Workflow.upsertTypedSearchAttributes(VIP.valueUnset(), STAGE.valueSet("downgraded"));
          Workflow.upsertMemo(java.util.Collections.singletonMap("paidBy", null));
        }
      }
    }

    @Override
    public void advance(String stage) {
      stages.add(stage);
    }

    @Override
    public String stage() {
      return Workflow.getTypedSearchAttributes().get(STAGE);
    }
  }

  @WorkflowInterface
  public interface SaParent {
    @WorkflowMethod
    String startChild(String childId, String batch);
  }

  /** Starts an SaOrder child with search attributes, leaves it running (abandoned) and returns its run id. */
  public static class SaParentImpl implements SaParent {
    @Override
    public String startChild(String childId, String batch) {
      SaOrder child = Workflow.newChildWorkflowStub(SaOrder.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(childId).setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
          .setTypedSearchAttributes(SearchAttributes.newBuilder().set(BATCH, batch).set(CUSTOMER, "c-child").build())
          .build());
      Async.function(child::process, "child");
      return Workflow.getWorkflowExecution(child).get().runId();
    }
  }

  public static class SaSetup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(SaOrderImpl.class, SaParentImpl.class);
    }
  }

  @TempDir static Path dir;
  static DevServer server;
  static Path stateFile;

  @BeforeAll
  static void start() {
    server = DevServer.start(new SaSetup());
    stateFile = dir.resolve("devserver.json");
    DevServerState.of(server).write(stateFile);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    env.registerWorkflowImplementationTypes(SaOrderImpl.class, SaParentImpl.class);
    return env;
  }

  private static WorkflowStub start(WorkflowClient client, String id, String batch, String customer, long amount,
      String note) {
    WorkflowStub stub = client.newUntypedWorkflowStub("SaOrder", WorkflowOptions.newBuilder().setWorkflowId(id)
        .setTypedSearchAttributes(SearchAttributes.newBuilder().set(BATCH, batch).set(CUSTOMER, customer)
            .set(AMOUNT, amount).build())
        .setMemo(Map.of("channel", "web")).build());
    stub.start(note);
    return stub;
  }

  /** The ids a query lists, in its order; visibility follows a commit, so callers wait for it. */
  private static List<String> ids(WorkflowClient client, String query) {
    return client.listExecutions(query).map(m -> m.execution().workflowId()).toList();
  }

  private static void awaitIds(WorkflowClient client, String query, List<String> expected) {
    TestAws.await(query + " lists " + expected, Duration.ofSeconds(30), () -> ids(client, query).equals(expected));
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void attributesUpsertedMidRunAreFoundByEveryDocumentedQueryForm(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String b = "java-" + stack;
      String in = "Batch = '" + b + "' AND ";
      String p = "sa-" + stack + "-";
      WorkflowStub o1 = start(client, p + "1", b, "c-7", 250, "Express delivery to Berlin");
      env.sleep(Duration.ofMinutes(1));
      WorkflowStub o2 = start(client, p + "2", b, "c-7", 40, "standard to Hamburg");
      env.sleep(Duration.ofMinutes(1));
      WorkflowStub o3 = start(client, p + "3", b, "c-9", 500, "pickup in Berlin");
      String since = env.currentTime().minus(Duration.ofHours(1)).toString();

      // Mid-run upserts: o1 and o3 are paid, o3 then done; o2 stays "created".
      awaitIds(client, in + "ExecutionStatus = 'Running' AND Stage = 'created'", List.of(p + "3", p + "2", p + "1"));
      o1.signal("advance", "paid");
      o3.signal("advance", "paid");
      awaitIds(client, in + "ExecutionStatus = 'Running' AND Stage = 'paid'", List.of(p + "3", p + "1"));
      o3.signal("advance", "done");
      assertEquals("paid", o3.getResult(Duration.ofSeconds(30), String.class));

      // The example: type, status, a keyword attribute, a StartTime bound, an order.
      awaitIds(client, "WorkflowType = 'SaOrder' AND ExecutionStatus = 'Running' AND CustomerId = 'c-7' AND "
          + in + "StartTime > '" + since + "' ORDER BY StartTime DESC", List.of(p + "2", p + "1"));
      awaitIds(client, in + "ExecutionStatus = 'Completed'", List.of(p + "3"));
      // Each type of attribute, as upserted mid-run.
      assertEquals(List.of(p + "1"), ids(client, in + "ExecutionStatus = 'Running' AND Note = 'berlin express'"));
      assertEquals(List.of(p + "3", p + "1"), ids(client, in + "ExecutionStatus IN ('Running', 'Completed') AND Amount >= 100"));
      assertEquals(List.of(p + "1"), ids(client, in + "ExecutionStatus = 'Running' AND Score BETWEEN 0.5 AND 1"));
      assertEquals(List.of(p + "1"), ids(client, in + "ExecutionStatus = 'Running' AND Vip = true"));
      assertEquals(List.of(p + "1"), ids(client, in + "ExecutionStatus = 'Running' AND DueAt < '2026-02-01T08:30:00Z'"));
      assertEquals(List.of(), ids(client, in + "ExecutionStatus = 'Running' AND DueAt < '2026-02-01T07:59:00Z'"));
      assertEquals(List.of(p + "3", p + "1"), ids(client, in + "StartTime >= '" + since + "' AND Tags = 'gift'"));
      // Other operators, OR and parentheses, ascending order, a point query by id.
      assertEquals(List.of(p + "1", p + "2"), ids(client, in + "ExecutionStatus = 'Running' AND CustomerId STARTS_WITH 'c-' ORDER BY StartTime ASC"));
      assertEquals(List.of(p + "2"), ids(client, in + "ExecutionStatus = 'Running' AND (Stage != 'paid' AND Vip IS NULL)"));
      assertEquals(List.of(p + "3", p + "2"), ids(client, in + "StartTime > '" + since + "' AND (CustomerId = 'c-9' OR Amount < 100)"));
      assertEquals(List.of(p + "2"), ids(client, in + "ExecutionStatus = 'Running' AND CustomerId NOT IN ('c-9') AND Amount != 250"));
      assertEquals(List.of(p + "1"), ids(client, "WorkflowId = '" + p + "1'"), "a point query needs no status");
      assertEquals(List.of(p + "3"), ids(client, "WorkflowId = '" + p + "3' AND CloseTime > '" + since + "'"));

      // An unset attribute no longer matches.
      o1.signal("advance", "downgraded");
      awaitIds(client, in + "ExecutionStatus = 'Running' AND Vip IS NULL", List.of(p + "2", p + "1"));

      // Paging: one per page, in order, the last page without a token.
      List<String> paged = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        WorkflowExecutionPage page = client.listExecutionsPage(in + "StartTime >= '" + since + "'", token, 1, false);
        page.executions().forEach(m -> paged.add(m.execution().workflowId()));
        token = page.nextPageToken();
        pages++;
      } while (token != null);
      assertEquals(List.of(p + "3", p + "2", p + "1"), paged);
      assertEquals(3, pages);

      // Count.
      assertEquals(2, client.countWorkflows(in + "ExecutionStatus = 'Running'").getCount());
      assertEquals(3, client.countWorkflows(in + "StartTime >= '" + since + "'").getCount());

      // The list rows carry the attributes; describe shows them and the memo, upserts applied.
      WorkflowExecutionMetadata row = client.listExecutions("WorkflowId = '" + p + "3'").findFirst().orElseThrow();
      assertEquals(WorkflowExecutionStatus.COMPLETED, row.getStatus());
      assertEquals(List.of("fragile", "gift"), row.getTypedSearchAttributes().get(TAGS));
      WorkflowDescription d = client.describe(p + "1");
      assertEquals("downgraded", d.getTypedSearchAttributes().get(STAGE));
      assertEquals(250L, d.getTypedSearchAttributes().get(AMOUNT));
      assertNull(d.getTypedSearchAttributes().get(VIP));
      assertEquals(OffsetDateTime.parse("2026-02-01T09:00:00+01:00"), d.getTypedSearchAttributes().get(DUE));
      assertEquals(Map.of("channel", "web"), d.memo(), "paidBy was upserted, then removed");
      assertEquals("card", client.describe(p + "3").getMemo("paidBy", String.class));
      // Recorded in history.
      List<Event> events = client.fetchHistory(p + "1").stream().map(HistoryEvent::event).toList();
      assertEquals(3, events.stream().filter(e -> e instanceof Event.UpsertWorkflowSearchAttributes).count());
      assertEquals(2, events.stream().filter(e -> e instanceof Event.WorkflowPropertiesModified).count());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aChildStartsWithTheSearchAttributesItsParentGaveIt(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String childId = "sa-child-" + stack;
      String batch = "child-" + stack;
      client.newUntypedWorkflowStub("SaParent", WorkflowOptions.newBuilder().setWorkflowId("sa-parent-" + stack).build())
          .start(childId, batch);
      awaitIds(client, "Batch = '" + batch + "' AND ExecutionStatus = 'Running' AND CustomerId = 'c-child'",
          List.of(childId));
      assertEquals("c-child", client.describe(childId).getTypedSearchAttributes().get(CUSTOMER));
      client.newUntypedWorkflowStub(childId).signal("advance", "done");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aQueryThatWouldReadEveryRunIsRefusedUnlessAScanIsAllowed(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String b = "scan-" + stack;
      start(client, "scan-" + stack + "-1", b, "c-7", 1, "x");
      InvalidRequestException refused = assertThrows(InvalidRequestException.class,
          () -> client.listExecutions("Batch = '" + b + "'"));
      assertEquals("QueryRequiresScan", refused.getError());
      assertEquals("QueryRequiresScan", assertThrows(InvalidRequestException.class,
          () -> client.countWorkflows("WorkflowType = 'SaOrder' OR ExecutionStatus = 'Running'")).getError());
      TestAws.await("the scan finds the run", Duration.ofSeconds(30),
          () -> client.listExecutions("Batch = '" + b + "'", true).count() == 1);
      assertEquals(1, client.countWorkflows("Batch = '" + b + "'", true).getCount());
      // Malformed and unsupported queries have their own names.
      assertEquals("InvalidQuery", assertThrows(InvalidRequestException.class,
          () -> client.listExecutions("ExecutionStatus = 'Sleeping'")).getError());
      assertEquals("InvalidQuery", assertThrows(InvalidRequestException.class,
          () -> client.listExecutions("CustomerId = ")).getError());
      assertEquals("UnsupportedQuery", assertThrows(InvalidRequestException.class,
          () -> client.listExecutions("ExecutionStatus = 'Running' ORDER BY CloseTime")).getError());
      assertEquals("InvalidSearchAttributes", assertThrows(InvalidRequestException.class,
          () -> client.newUntypedWorkflowStub("SaOrder", WorkflowOptions.newBuilder()
              .setTypedSearchAttributes(SearchAttributes.newBuilder()
                  .set(SearchAttributeKey.forKeyword("WorkflowId"), "x").build()).build()).start("x")).getError());
    }
  }

  /** The same over the HTTP API and the CLI on the embedded stack. */
  @Test
  void overHttpAndTheCli() throws Exception {
    String body = "{\"workflowType\":\"SaOrder\",\"workflowId\":\"sa-http-1\",\"args\":[\"by courier\"],"
        + "\"searchAttributes\":{\"Batch\":{\"type\":\"KEYWORD\",\"value\":\"http\"},"
        + "\"Amount\":{\"type\":\"INT\",\"value\":12}}}";
    assertEquals(201, post("/workflows", body).statusCode());
    String query = "Batch = 'http' AND ExecutionStatus = 'Running' AND Stage = 'created'";
    ObjectMapper json = new ObjectMapper();
    TestAws.await("listed over HTTP", Duration.ofSeconds(30), () -> {
      try {
        JsonNode rows = json.readTree(get("/workflows?query=" + enc(query)).body()).get("executions");
        return rows.size() == 1 && rows.get(0).get("workflowId").asText().equals("sa-http-1");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    JsonNode listed = json.readTree(get("/workflows?query=" + enc(query)).body());
    assertEquals(12, listed.at("/executions/0/searchAttributes/Amount/value").asInt());
    assertEquals("INT", listed.at("/executions/0/searchAttributes/Amount/type").asText());
    assertTrue(listed.get("nextPageToken").isNull());
    assertEquals(1, json.readTree(get("/workflow-count?query=" + enc("Batch = 'http' AND ExecutionStatus = 'Running'"))
        .body()).get("count").asInt());
    JsonNode described = json.readTree(get("/workflows/sa-http-1").body());
    assertEquals("created", described.at("/searchAttributes/Stage/value").asText());

    HttpResponse<String> scan = get("/workflows?query=" + enc("Batch = 'http'"));
    assertEquals(400, scan.statusCode());
    assertEquals("QueryRequiresScan", json.readTree(scan.body()).get("error").asText());
    assertEquals(200, get("/workflows?query=" + enc("Batch = 'http'") + "&allowScan=true").statusCode());
    HttpResponse<String> bad = get("/workflows?query=" + enc("Batch = = 'http'"));
    assertEquals(400, bad.statusCode());
    assertEquals("InvalidQuery", json.readTree(bad.body()).get("error").asText());
    assertEquals("InvalidParameter", json.readTree(get("/workflows?query=" + enc(query) + "&status=RUNNING").body())
        .get("error").asText());
    HttpResponse<String> badAttribute = post("/workflows", "{\"workflowType\":\"SaOrder\",\"workflowId\":\"sa-http-bad\",\"args\":[\"x\"],"
        + "\"searchAttributes\":{\"Amount\":{\"type\":\"INT\",\"value\":\"twelve\"}}}");
    assertEquals(400, badAttribute.statusCode());
    assertEquals("InvalidSearchAttributes", json.readTree(badAttribute.body()).get("error").asText());

    CliRun listed2 = cli("list", "--query", query);
    assertEquals(0, listed2.rc());
    assertTrue(listed2.out().contains("sa-http-1"), listed2.out());
    CliRun counted = cli("count", "--query", "Batch = 'http' AND ExecutionStatus = 'Running'");
    assertEquals(0, counted.rc());
    assertEquals("1", counted.out().trim());
    CliRun refused = cli("count", "--query", "Batch = 'http'");
    assertEquals(3, refused.rc());
    assertTrue(refused.err().contains("QueryRequiresScan"), refused.err());
    assertEquals("1", cli("count", "--query", "Batch = 'http'", "--allow-scan").out().trim());
    server.client().newUntypedWorkflowStub("sa-http-1").signal("advance", "done");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return LocalHttp.send(server, "GET", path, null);
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return LocalHttp.send(server, "POST", path, body);
  }

  private static CliRun cli(String... args) {
    return CliRun.of(stateFile, args);
  }
}
