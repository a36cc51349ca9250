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
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.UpdateMethod;
import dev.tempora.workflow.UpdateValidatorMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  /** The devserver's setup, by a name the CLI can load (it checks requests against these types). */
  public static class CartSetup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(CartImpl.class).registerActivitiesImplementations(new StockImpl());
    }
  }

  @TempDir static Path dir;
  static DevServer server;
  static Path stateFile;

  @BeforeAll
  static void start() {
    server = DevServer.start(new CartSetup());
    stateFile = dir.resolve("devserver.json");
    server.writeState(stateFile);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
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

  /** The HTTP route and the CLI verb on the embedded stack: the same outcomes through the one validation path. */
  @Test
  void overHttpAndTheCliUpdatesAreAnsweredRejectedAndRefusedAsByTheClient() throws Exception {
    String id = "update-http";
    assertEquals(201, post("/workflows", "{\"workflowType\":\"Cart\",\"workflowId\":\"" + id + "\"}").statusCode());
    String add = "/workflows/" + id + "/updates/addItem";
    HttpResponse<String> r = post(add, "{\"args\":[\"apple\"],\"updateId\":\"h-1\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"stage\":\"COMPLETED\"") && r.body().contains("\"result\":1"), r.body());
    // The same update id again: the first answer, not a second item.
    r = post(add, "{\"args\":[\"apple\"],\"updateId\":\"h-1\"}");
    assertTrue(r.body().contains("\"result\":1"), r.body());
    r = post(add, "{\"args\":[\" \"]}");
    assertEquals(422, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"error\":\"UpdateRejected\"") && r.body().contains("an item needs a name"), r.body());
    r = post("/workflows/" + id + "/updates/removeItem", "{\"args\":[\"apple\"]}");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"error\":\"UnknownUpdate\""), r.body());
    r = post(add, "{\"args\":[1, 2]}");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"error\":\"InvalidArguments\""), r.body());
    r = post("/workflows/" + id + "/updates/reserve", "{\"args\":[\"pear\"],\"waitForStage\":\"ACCEPTED\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"stage\":\"ACCEPTED\"") || r.body().contains("\"stage\":\"COMPLETED\""),
        r.body());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, cli(out, "update", id, "addItem", "\"plum\"", "--update-id", "c-1"));
    assertEquals(0, cli(out, "update", id, "addItem", "\"plum\"", "--update-id", "c-1"));
    assertEquals(1, cli(out, "update", id, "addItem", "\" \""), "rejected by the validator");
    assertEquals(3, cli(out, "update", id, "nope"), "refused before anything is sent");
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("3") && !printed.contains("4"), printed); // plum was the third item, added once
    assertEquals(List.of("apple", "pear", "plum"), server.client().newUntypedWorkflowStub(id).query("items", List.class));
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return LocalHttp.send(server, "POST", path, body);
  }

  private static int cli(ByteArrayOutputStream out, String... args) {
    CliRun r = CliRun.of(stateFile, args);
    out.writeBytes(r.out().getBytes(StandardCharsets.UTF_8));
    if (r.rc() != 0) {
      System.err.println(r.err());
    }
    return r.rc();
  }
}
