package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.SignalOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finding 6 of issue 9 (signals are not idempotent) on both stacks: a signal sent again with its
 * request id, also after the first was recorded, is one WorkflowSignaled event, through the Java
 * client on the in-memory environment and the embedded AWS stack, and through the HTTP API and the
 * CLI on the embedded stack. A duplicate arriving after SQS's 5-minute deduplication window is
 * dropped by the coordinator (the message id is derived from the run and the request id).
 */
class SignalRequestIdOnBothStacksTest {

  @WorkflowInterface
  public interface Inbox {
    @WorkflowMethod
    List<String> collect(int count);

    @SignalMethod
    void add(String item);

    @QueryMethod
    List<String> items();
  }

  public static class InboxImpl implements Inbox {
    private final List<String> items = new ArrayList<>();

    @Override
    public List<String> collect(int count) {
      Workflow.await(() -> items.size() >= count);
      return items;
    }

    @Override
    public void add(String item) {
      items.add(item);
    }

    @Override
    public List<String> items() {
      return items;
    }
  }

  /** The devserver's setup, by a name the CLI can load (it checks requests against these types). */
  public static class InboxSetup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(InboxImpl.class);
    }
  }

  @TempDir static Path dir;
  static DevServer server;
  static Path stateFile;

  @BeforeAll
  static void start() {
    server = DevServer.start(new InboxSetup());
    stateFile = dir.resolve("devserver.json");
    server.writeState(stateFile);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    env.registerWorkflowImplementationTypes(InboxImpl.class);
    return env;
  }

  private static SignalOptions requestId(String id) {
    return SignalOptions.newBuilder().setRequestId(id).build();
  }

  static List<Event.WorkflowSignaled> signals(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::event).filter(e -> e instanceof Event.WorkflowSignaled)
        .map(e -> (Event.WorkflowSignaled) e).toList();
  }

  static List<String> requestIds(List<HistoryEvent> history) {
    return signals(history).stream().map(Event.WorkflowSignaled::requestId).toList();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void theJavaClientsSignalSentAgainWithItsRequestIdIsRecordedOnce(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "rid-client-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Inbox", WorkflowOptions.newBuilder().setWorkflowId(id).build());
      stub.start(2);
      stub.signal(requestId("r-1"), "add", "a");
      // Sends return once the stack has reacted: the first is recorded before the second is sent.
      assertEquals(List.of("a"), stub.query("items", List.class));
      stub.signal(requestId("r-1"), "add", "a");
      client.newUntypedWorkflowStub(id).signal(requestId("r-1"), "add", "a");
      assertEquals(List.of("a"), stub.query("items", List.class));
      stub.signal(requestId("r-2"), "add", "b");
      assertEquals(List.of("a", "b"), stub.getResult(Duration.ofSeconds(30), List.class));
      assertEquals(List.of("r-1", "r-2"), requestIds(client.fetchHistory(id)));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void signalWithStartSentAgainWithItsRequestIdSignalsOnce(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "rid-sws-" + stack;
      WorkflowOptions options = WorkflowOptions.newBuilder().setWorkflowId(id).build();
      for (int i = 0; i < 2; i++) {
        client.newUntypedWorkflowStub("Inbox", options).signalWithStart(requestId("s-1"), "add", new Object[] {"a"},
            new Object[] {2});
      }
      client.newUntypedWorkflowStub(id).signal(requestId("s-1"), "add", "a");
      client.newUntypedWorkflowStub(id).signal(requestId("s-2"), "add", "b");
      assertEquals(List.of("a", "b"), client.newUntypedWorkflowStub(id).getResult(Duration.ofSeconds(30), List.class));
      assertEquals(List.of("s-1", "s-2"), requestIds(client.fetchHistory(id)));
    }
  }

  /** The HTTP API and the CLI on the embedded stack share the request id's meaning with the client. */
  @Test
  void overHttpAndTheCliTheSameRequestIdIsOneSignal() throws Exception {
    String id = "rid-http";
    assertEquals(201, post("/workflows", "{\"workflowType\":\"Inbox\",\"workflowId\":\"" + id + "\",\"args\":[3]}").statusCode());
    String signal = "/workflows/" + id + "/signals/add";
    assertEquals(202, post(signal, "{\"args\":[\"a\"],\"requestId\":\"h-1\"}").statusCode());
    awaitItems(id, 1);
    assertEquals(202, post(signal, "{\"args\":[\"a\"],\"requestId\":\"h-1\"}").statusCode()); // after it was recorded
    assertEquals(0, cli("signal", id, "add", "\"a\"", "--request-id", "h-1"), "the CLI, the same request");
    assertEquals(0, cli("signal", id, "add", "\"b\"", "--request-id", "h-2"));
    assertEquals(202, post(signal, "{\"args\":[\"c\"],\"requestId\":\"h-3\"}").statusCode());
    assertEquals(List.of("a", "b", "c"), server.client().newUntypedWorkflowStub(id).getResult(Duration.ofSeconds(30),
        List.class));
    // Repeated after the run closed: done already; a new signal to the closed run is refused.
    assertEquals(202, post(signal, "{\"args\":[\"c\"],\"requestId\":\"h-3\"}").statusCode());
    assertEquals(0, cli("signal", id, "add", "\"b\"", "--request-id", "h-2"));
    assertEquals(409, post(signal, "{\"args\":[\"d\"],\"requestId\":\"h-4\"}").statusCode());
    assertEquals(1, cli("signal", id, "add", "\"d\"", "--request-id", "h-4"));
    assertEquals(List.of("h-1", "h-2", "h-3"), requestIds(server.client().fetchHistory(id)));
  }

  /**
   * A duplicate that SQS no longer deduplicates (sent after its 5-minute window, here with another
   * deduplication id) reaches the coordinator, which recognises the consumed message id.
   */
  @Test
  void aDuplicateAfterSqsDeduplicationIsDroppedByTheCoordinator() {
    String id = "rid-late";
    WorkflowClient client = server.client();
    WorkflowStub stub = client.newUntypedWorkflowStub("Inbox", WorkflowOptions.newBuilder().setWorkflowId(id).build());
    stub.start(2);
    stub.signal(requestId("late-1"), "add", "a");
    awaitItems(id, 1);
    String runId = stub.getExecution().runId();
    Event.WorkflowSignaled recorded = signals(client.fetchHistory(id)).getFirst();
    long received = server.messagesReceived("workflow-tasks");
    // What a retry of that call puts on the queue: the message id is the run's and the request id's.
    WorkflowTaskMessage again = new WorkflowTaskMessage(runId + "/signal/late-1",
        new RunKey(server.config().namespace(), id, runId), recorded);
    server.aws().sqs().sendMessage(b -> b.queueUrl(server.queues().get("workflow-tasks").url())
        .messageBody(HistoryJson.write(again)) // ASCII only: SQS takes it as it is
        .messageGroupId(again.run().workflowKey())
        .messageDeduplicationId("past-the-window"));
    TestAws.await("the duplicate received and handled", Duration.ofSeconds(20),
        () -> server.messagesReceived("workflow-tasks") > received && server.backlog("workflow-tasks") == 0);
    stub.signal(requestId("late-2"), "add", "b");
    assertEquals(List.of("a", "b"), stub.getResult(Duration.ofSeconds(30), List.class));
    assertEquals(List.of("late-1", "late-2"), requestIds(client.fetchHistory(id)));
  }

  private static void awaitItems(String workflowId, int n) {
    TestAws.await(workflowId + " has " + n + " item(s)", Duration.ofSeconds(20), () -> {
      try {
        return server.client().newUntypedWorkflowStub(workflowId).query("items", List.class).size() >= n;
      } catch (RuntimeException e) {
        return false; // not started yet
      }
    });
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return LocalHttp.send(server, "POST", path, body);
  }

  private static int cli(String... args) {
    CliRun r = CliRun.of(stateFile, args);
    if (r.rc() != 0) {
      System.err.println(r.err());
    }
    return r.rc();
  }
}
