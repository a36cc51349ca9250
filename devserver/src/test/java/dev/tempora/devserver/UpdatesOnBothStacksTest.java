package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.UpdateOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.client.WorkflowUpdateException;
import dev.tempora.client.WorkflowUpdateHandle;
import dev.tempora.client.WorkflowUpdateStage;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.UpdateMethod;
import dev.tempora.workflow.UpdateValidatorMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workflow updates (issue 11) on the in-memory environment and the embedded AWS stack: a
 * validator's rejection reaches the caller and records nothing, an update completes at once,
 * one waits on an activity (the caller holds a handle meanwhile), and a repeated update id is
 * answered from history, its handler run once.
 */
@Timeout(180) // an update that is never answered would make its caller wait for ever
class UpdatesOnBothStacksTest {

  @WorkflowInterface
  public interface Cart {
    @WorkflowMethod
    List<String> shop();

    @UpdateMethod
    int addItem(String item);

    @UpdateValidatorMethod(updateName = "addItem")
    void validateAddItem(String item);

    @UpdateMethod
    String reserve(String item);

    @SignalMethod
    void checkout();

    @QueryMethod
    List<String> items();
  }

  @ActivityInterface
  public interface Stock {
    String reserve(String item);
  }

  public static class StockImpl implements Stock {
    @Override
    public String reserve(String item) {
      return "reserved " + item;
    }
  }

  public static class CartImpl implements Cart {
    private final Stock stock = Workflow.newActivityStub(Stock.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
    private final List<String> items = new ArrayList<>();
    private boolean done;

    @Override
    public List<String> shop() {
      Workflow.await(() -> done);
      return items;
    }

    @Override
    public int addItem(String item) {
      items.add(item);
      return items.size();
    }

    @Override
    public void validateAddItem(String item) {
      if (item.isBlank()) {
        throw ApplicationFailure.newFailure("an item needs a name", "EmptyItem");
      }
    }

    @Override
    public String reserve(String item) {
      String reservation = stock.reserve(item);
      items.add(item);
      return reservation;
    }

    @Override
    public void checkout() {
      done = true;
    }

    @Override
    public List<String> items() {
      return items;
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(worker -> { });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = stack.equals("in-memory")
        ? TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
            .setStartTime(Instant.parse("2026-01-01T00:00:00Z")).build())
        : TestWorkflowEnvironment.newInstance(new EmbeddedAwsBackend(server));
    env.registerWorkflowImplementationTypes(CartImpl.class);
    env.registerActivitiesImplementations(new StockImpl());
    return env;
  }

  private static Cart started(WorkflowClient client, String id) {
    Cart cart = client.newWorkflowStub(Cart.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
    WorkflowClient.start(cart::shop);
    return client.newWorkflowStub(Cart.class, id);
  }

  static List<Event> updateEvents(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::event).filter(e -> e instanceof Event.WorkflowExecutionUpdateAccepted
        || e instanceof Event.WorkflowExecutionUpdateCompleted).toList();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRejectedUpdateReachesTheCallerAndRecordsNothing(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "update-rejected-" + stack;
      Cart cart = started(client, id);
      assertEquals(1, cart.addItem("apple")); // the run's first task is done: history is settled
      List<HistoryEvent> before = client.fetchHistory(id);
      WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class, () -> cart.addItem(" "));
      assertEquals("addItem", e.getUpdateName());
      assertInstanceOf(ApplicationFailure.class, e.getCause());
      assertEquals("EmptyItem", ((ApplicationFailure) e.getCause()).getType());
      assertTrue(e.getMessage().contains("an item needs a name"), e.getMessage());
      assertEquals(before, client.fetchHistory(id), "a rejected update records nothing");
      assertEquals(List.of("apple"), cart.items());
      WorkflowStub.fromTyped(cart).signal("checkout");
      assertEquals(List.of("apple"), WorkflowStub.fromTyped(cart).getResult(Duration.ofSeconds(30), List.class));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void anUpdateCompletesAtOnceWithItsHandlersResult(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "update-at-once-" + stack;
      Cart cart = started(client, id);
      assertEquals(1, cart.addItem("apple"));
      assertEquals(2, WorkflowStub.fromTyped(cart).update("addItem", Integer.class, "pear"));
      WorkflowStub.fromTyped(cart).signal("checkout");
      assertEquals(List.of("apple", "pear"), WorkflowStub.fromTyped(cart).getResult(Duration.ofSeconds(30), List.class));
      List<Event> updates = updateEvents(client.fetchHistory(id));
      assertEquals(4, updates.size(), updates.toString());
      Event.WorkflowExecutionUpdateAccepted accepted = (Event.WorkflowExecutionUpdateAccepted) updates.get(0);
      Event.WorkflowExecutionUpdateCompleted completed = (Event.WorkflowExecutionUpdateCompleted) updates.get(1);
      assertEquals("addItem", accepted.updateName());
      assertEquals(accepted.updateId(), completed.updateId());
      assertNull(completed.failure());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void anUpdateWaitsOnAnActivityWhileTheCallerHoldsItsHandle(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "update-activity-" + stack;
      Cart cart = started(client, id);
      WorkflowUpdateHandle<String> handle = WorkflowStub.fromTyped(cart).startUpdate("reserve",
          WorkflowUpdateStage.ACCEPTED, String.class, "apple");
      assertTrue(handle.getStage().compareTo(WorkflowUpdateStage.ACCEPTED) >= 0, handle.getStage().toString());
      assertEquals("reserved apple", handle.getResult());
      assertEquals("reserved apple", handle.getResultAsync().join());
      assertEquals(List.of("apple"), cart.items());
      List<String> kinds = client.fetchHistory(id).stream().map(HistoryEvent::event)
          .filter(e -> e instanceof Event.WorkflowExecutionUpdateAccepted || e instanceof Event.ActivityTaskScheduled
              || e instanceof Event.ActivityTaskCompleted || e instanceof Event.WorkflowExecutionUpdateCompleted)
          .map(e -> e.getClass().getSimpleName()).toList();
      assertEquals(List.of("WorkflowExecutionUpdateAccepted", "ActivityTaskScheduled", "ActivityTaskCompleted",
          "WorkflowExecutionUpdateCompleted"), kinds);
      WorkflowStub.fromTyped(cart).signal("checkout");
      assertEquals(List.of("apple"), WorkflowStub.fromTyped(cart).getResult(Duration.ofSeconds(30), List.class));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRepeatedUpdateIdIsAnsweredFromHistoryNotRunTwice(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "update-duplicate-" + stack;
      started(client, id);
      UpdateOptions<String> options = UpdateOptions.newBuilder(String.class).setUpdateName("reserve")
          .setUpdateId("order-7").setWaitForStage(WorkflowUpdateStage.COMPLETED).build();
      WorkflowStub stub = client.newUntypedWorkflowStub(id);
      assertEquals("reserved apple", stub.startUpdate(options, "apple").getResult());
      // Again, from another stub: the first update's answer, the handler not run again.
      WorkflowUpdateHandle<String> again = client.newUntypedWorkflowStub(id).startUpdate(options, "apple");
      assertEquals(WorkflowUpdateStage.COMPLETED, again.getStage());
      assertEquals("order-7", again.getId());
      assertEquals("reserved apple", again.getResult());
      assertEquals(List.of("apple"), stub.query("items", List.class));
      List<HistoryEvent> history = client.fetchHistory(id);
      assertEquals(2, updateEvents(history).size(), updateEvents(history).toString());
      assertEquals(1, history.stream().filter(e -> e.event() instanceof Event.ActivityTaskScheduled).count());
      stub.signal("checkout");
      assertEquals(List.of("apple"), stub.getResult(Duration.ofSeconds(30), List.class));
      // Also after the run closed, the id is answered from its history.
      assertEquals("reserved apple", client.newUntypedWorkflowStub(id).startUpdate(options, "apple").getResult());
    }
  }
}
