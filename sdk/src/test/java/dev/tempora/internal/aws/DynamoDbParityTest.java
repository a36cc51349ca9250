package dev.tempora.internal.aws;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.memory.InMemoryRuntime;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The engine on the DynamoDB stores records exactly the history it records on the in-memory ones
 * (same clock start and id seed), with a warm runner cache and with none (every task replays the
 * whole history from DynamoDB).
 */
@ExtendWith(DynamoDbLocalServer.Extension.class)
class DynamoDbParityTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long SEED = 7;

  @ActivityInterface
  public interface Shop {
    String reserve(String item);

    String charge(String reservation, int cents);

    String ship(String reservation);

    /** A big result (~120 KB): its batch is stored gzipped. */
    String receipt(String charged, String shipped);
  }

  @WorkflowInterface
  public interface Order {
    @WorkflowMethod
    String run(String item);

    @SignalMethod
    void approve(String by);

    @QueryMethod
    String stage();
  }

  public static class OrderImpl implements Order {
    private final Shop shop = Workflow.newActivityStub(Shop.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
    private String approvedBy;
    private String stage = "new";

    @Override
    public String run(String item) {
      stage = "reserving";
      String reservation = shop.reserve(item);
      stage = "cooling-off";
      Workflow.sleep(Duration.ofHours(1));
      stage = "awaiting approval";
      if (!Workflow.await(Duration.ofDays(2), () -> approvedBy != null)) {
        return "expired";
      }
      stage = "fulfilling";
      Promise<String> charged = Async.function(shop::charge, reservation, 1299);
      Promise<String> shipped = Async.function(shop::ship, reservation);
      String receipt = shop.receipt(charged.get(), shipped.get());
      stage = "done";
      return reservation + "|" + approvedBy + "|" + receipt.length();
    }

    @Override
    public void approve(String by) {
      approvedBy = by;
    }

    @Override
    public String stage() {
      return stage;
    }
  }

  public static final class ShopImpl implements Shop {
    public String reserve(String item) { return "R-" + item; }
    public String charge(String reservation, int cents) { return "C-" + reservation + "-" + cents; }
    public String ship(String reservation) { return "S-" + reservation; }
    public String receipt(String charged, String shipped) {
      return (charged + "/" + shipped + ";").repeat(4_000);
    }
  }

  private static DynamoDbClient client;
  private static String table;

  @BeforeAll
  static void setUp(DynamoDbLocalServer server) {
    client = server.client();
    table = server.newTable("parity");
    // Warm the DynamoDB path (class loading, connections) in its own namespace, so that in the
    // compared runs every activity finishes within the test engine's synchronous window.
    try (InMemoryRuntime warm = dynamoRuntime(options("warmup", 600))) {
      runScenario(warm.client, warm.workflows::register, warm.activities::register);
    }
  }

  @AfterAll
  static void dropTable() {
    client.deleteTable(b -> b.tableName(table));
  }

  @Test
  void sameHistoryWithWarmRunners() {
    compare("warm", 600);
  }

  @Test
  void sameHistoryWhenEveryTaskReplaysFromDynamoDb() {
    compare("cold", 0);
  }

  private void compare(String namespace, int cacheSize) {
    List<HistoryEvent> expected;
    long expectedBatchReads;
    try (InMemoryRuntime memory = new InMemoryRuntime(options(namespace, cacheSize))) {
      expected = runScenario(memory.client, memory.workflows::register, memory.activities::register);
      expectedBatchReads = ((dev.tempora.internal.memory.InMemoryHistoryStore) memory.store).batchesRead();
    }
    DynamoDbHistoryStore dynamoStore = new DynamoDbHistoryStore(client, table, Duration.ofDays(30));
    try (InMemoryRuntime dynamo = new InMemoryRuntime(options(namespace, cacheSize), dynamoStore,
        new DynamoDbHeartbeatStore(client, table))) {
      List<HistoryEvent> actual = runScenario(dynamo.client, dynamo.workflows::register, dynamo.activities::register);
      assertEquals(expected, actual);
      assertEquals(expectedBatchReads, dynamoStore.batchesRead(), "the engine read the same batches from both stores");
      assertEquals(dynamoStore.batchesRead(), dynamoStore.itemsRead(), "no chunked batches here: one item per batch");
      long gzipped = client.scanPaginator(b -> b.tableName(table)
              .filterExpression("pk = :pk AND attribute_exists(" + ItemBody.BODY_GZ + ")")
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(namespace + "#order-1"))))
          .items().stream().count();
      assertEquals(1, gzipped, "the batch with the big receipt is stored gzipped");

      var listed = dynamo.client.listExecutions(ListExecutionsRequest.all().withWorkflowType("Order"));
      assertEquals(1, listed.size());
      assertEquals(WorkflowExecutionStatus.COMPLETED, listed.getFirst().status());
    }
    assertTrue(expected.getLast().event() instanceof Event.WorkflowExecutionCompleted);
    assertTrue(expected.stream().anyMatch(e -> e.event() instanceof Event.TimerFired));
    assertTrue(expected.stream().anyMatch(e -> e.event() instanceof Event.WorkflowSignaled));
  }

  private static List<HistoryEvent> runScenario(WorkflowClient client,
      java.util.function.Consumer<Class<?>[]> registerWorkflows, java.util.function.Consumer<Object[]> registerActivities) {
    registerWorkflows.accept(new Class<?>[] {OrderImpl.class});
    registerActivities.accept(new Object[] {new ShopImpl()});
    Order order = client.newWorkflowStub(Order.class, WorkflowOptions.newBuilder().setWorkflowId("order-1").build());
    WorkflowClient.start(order::run, "book");
    assertEquals("cooling-off", order.stage());
    order.approve("alice");
    String result = WorkflowStub.fromTyped(order).getResult(String.class);
    assertEquals("R-book|alice|" + ("C-R-book-1299/S-R-book;".length() * 4_000), result);
    return client.fetchHistory("order-1");
  }

  /** The in-memory engine (queues, timers, time skipping) over the DynamoDB stores. */
  private static InMemoryRuntime dynamoRuntime(InMemoryRuntime.Options o) {
    return new InMemoryRuntime(o, new DynamoDbHistoryStore(client, table, Duration.ofDays(30)),
        new DynamoDbHeartbeatStore(client, table));
  }

  private static InMemoryRuntime.Options options(String namespace, int cacheSize) {
    // Activities claim their attempt in DynamoDB: allow them seconds, not the default 200 ms, to
    // count as synchronous, so a loaded machine cannot reorder the compared histories.
    return new InMemoryRuntime.Options(namespace, cacheSize, 5_000, T0, SEED, WorkflowTaskHooks.NONE, 10_000);
  }
}
