package dev.tempora.internal.client;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.SignalOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.coordinator.WorkflowTaskQueue;
import dev.tempora.internal.history.WorkflowTaskMessage;
import dev.tempora.internal.memory.InMemoryRuntime;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Finding 6 of issue 9, in memory: a signal carries a request id, and its message id is derived
 * from the run and the request id, so the same signal sent again (a caller's retry with the same
 * id, or the client's own retry of a send that failed after delivering) is recorded once. The
 * embedded AWS stack's version is in the devserver module (SignalRequestIdOnBothStacksTest).
 */
class SignalRequestIdTest {

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

  private static TestWorkflowEnvironment env() {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setStartTime(Instant.parse("2026-01-01T00:00:00Z")).setIdSeed(7).build());
    env.registerWorkflowImplementationTypes(InboxImpl.class);
    return env;
  }

  private static SignalOptions requestId(String id) {
    return SignalOptions.newBuilder().setRequestId(id).build();
  }

  static List<String> signalRequestIds(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::event).filter(e -> e instanceof Event.WorkflowSignaled)
        .map(e -> ((Event.WorkflowSignaled) e).requestId()).toList();
  }

  @Test
  void theSameRequestIdSentAgainAfterItWasRecordedIsRecordedOnce() {
    try (TestWorkflowEnvironment env = env()) {
      WorkflowClient client = env.getWorkflowClient();
      WorkflowStub stub = client.newUntypedWorkflowStub("Inbox", WorkflowOptions.newBuilder().setWorkflowId("in-1").build());
      stub.start(2);
      stub.signal(requestId("r-1"), "add", "a");
      assertEquals(List.of("a"), stub.query("items", List.class), "recorded before the retry");
      stub.signal(requestId("r-1"), "add", "a"); // a retry after a timeout
      client.newUntypedWorkflowStub("in-1").signal(requestId("r-1"), "add", "a"); // another process, the same command
      stub.signal(requestId("r-2"), "add", "b");
      assertEquals(List.of("a", "b"), stub.getResult(List.class));
      // Repeated after the run closed: done already, not an error; a new signal is one.
      stub.signal(requestId("r-2"), "add", "b");
      assertThrows(WorkflowNotFoundException.class, () -> stub.signal(requestId("r-3"), "add", "c"));
      assertThrows(WorkflowNotFoundException.class, () -> stub.signal("add", "c"));
      assertEquals(List.of("r-1", "r-2"), signalRequestIds(client.fetchHistory("in-1")));
    }
  }

  @Test
  void withoutARequestIdEachCallIsItsOwnSignal() {
    try (TestWorkflowEnvironment env = env()) {
      WorkflowClient client = env.getWorkflowClient();
      Inbox inbox = client.newWorkflowStub(Inbox.class, WorkflowOptions.newBuilder().setWorkflowId("in-2").build());
      WorkflowClient.start(inbox::collect, 2);
      inbox.add("a");
      inbox.add("a");
      assertEquals(List.of("a", "a"), WorkflowStub.fromTyped(inbox).getResult(List.class));
      List<String> ids = signalRequestIds(client.fetchHistory("in-2"));
      assertEquals(2, ids.size());
      assertNotEquals(ids.get(0), ids.get(1), "the client made one id per call");
    }
  }

  @Test
  void signalWithStartRepeatedWithItsRequestIdSignalsOnce() {
    try (TestWorkflowEnvironment env = env()) {
      WorkflowClient client = env.getWorkflowClient();
      WorkflowOptions options = WorkflowOptions.newBuilder().setWorkflowId("in-3").build();
      for (int i = 0; i < 3; i++) {
        client.newUntypedWorkflowStub("Inbox", options).signalWithStart(requestId("sws-1"), "add", new Object[] {"a"},
            new Object[] {2});
      }
      WorkflowStub stub = client.newUntypedWorkflowStub("in-3");
      assertEquals(List.of("a"), stub.query("items", List.class));
      stub.signal(requestId("sws-1"), "add", "a");
      stub.signal(requestId("r-2"), "add", "b");
      assertEquals(List.of("a", "b"), stub.getResult(List.class));
      assertEquals(List.of("sws-1", "r-2"), signalRequestIds(client.fetchHistory("in-3")));
    }
  }

  /**
   * A send that fails after the message went through (a timeout after the queue accepted it) is
   * retried by the client with the call's one request id: recorded once.
   */
  @Test
  void aSendTheClientRetriesAfterItWentThroughIsRecordedOnce() {
    try (InMemoryRuntime runtime = new InMemoryRuntime(new InMemoryRuntime.Options("default", 10, 5_000,
        Instant.parse("2026-01-01T00:00:00Z"), 7, WorkflowTaskHooks.NONE))) {
      runtime.workflows.register(InboxImpl.class);
      AtomicInteger signalSends = new AtomicInteger();
      WorkflowTaskQueue deliversThenTimesOut = messages -> {
        runtime.engine.send(messages);
        boolean signal = messages.stream().map(WorkflowTaskMessage::event).anyMatch(e -> e instanceof Event.WorkflowSignaled);
        if (signal && signalSends.incrementAndGet() <= 2) {
          throw new RuntimeException("timed out waiting for the queue's answer");
        }
      };
      WorkflowClient client = new WorkflowClientImpl(new WorkflowService("default", runtime.store, deliversThenTimesOut,
          runtime.processor::query, runtime.engine, runtime.clock, UUID::randomUUID,
          new RequestValidator(runtime.workflows, Set.of())));
      WorkflowStub stub = client.newUntypedWorkflowStub("Inbox", WorkflowOptions.newBuilder().setWorkflowId("in-4").build());
      stub.start(2);
      stub.signal("add", "a");
      assertEquals(3, signalSends.get(), "the first send and two retries");
      assertEquals(List.of("a"), stub.query("items", List.class));
      assertEquals(1, signalRequestIds(client.fetchHistory("in-4")).size());

      // The signal that completes the run: the retry finds it closed, and its signal recorded.
      signalSends.set(0);
      stub.signal("add", "b");
      assertEquals(1, signalSends.get(), "the retry found the run closed, with the signal recorded, and sent nothing");
      assertEquals(List.of("a", "b"), stub.getResult(List.class));
      assertEquals(2, signalRequestIds(client.fetchHistory("in-4")).size());
    }
  }

  @Test
  void aSendThatKeepsFailingIsReportedAfterTheRetries() {
    try (InMemoryRuntime runtime = new InMemoryRuntime(new InMemoryRuntime.Options("default", 10, 5_000,
        Instant.parse("2026-01-01T00:00:00Z"), 7, WorkflowTaskHooks.NONE))) {
      runtime.workflows.register(InboxImpl.class);
      AtomicInteger sends = new AtomicInteger();
      WorkflowTaskQueue startsOnly = messages -> {
        if (messages.stream().map(WorkflowTaskMessage::event).anyMatch(e -> e instanceof Event.WorkflowSignaled)) {
          sends.incrementAndGet();
          throw new RuntimeException("queue unavailable");
        }
        runtime.engine.send(messages);
      };
      WorkflowClient client = new WorkflowClientImpl(new WorkflowService("default", runtime.store, startsOnly,
          runtime.processor::query, runtime.engine, runtime.clock, UUID::randomUUID,
          new RequestValidator(runtime.workflows, Set.of())));
      WorkflowStub stub = client.newUntypedWorkflowStub("Inbox", WorkflowOptions.newBuilder().setWorkflowId("in-5").build());
      stub.start(1);
      RuntimeException e = assertThrows(RuntimeException.class, () -> stub.signal("add", "a"));
      assertEquals("queue unavailable", e.getMessage());
      assertEquals(WorkflowStubImpl.SIGNAL_ATTEMPTS, sends.get());
      assertEquals(List.of(), signalRequestIds(client.fetchHistory("in-5")));
    }
  }
}
