package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.SignalOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowExecutionInfo;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.WorkflowTaskFaults;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Continue-as-new on both stacks (issue 11's acceptance): an eternal workflow that continues as
 * new every 100 iterations over 1,000 makes 10 runs, each with a bounded history, and the client's
 * result comes from the last; a signal sent during the hand-over (while the closing run is still
 * the id's current run, delivered after it closed) reaches the next run.
 */
class ContinueAsNewOnBothStacksTest {

  @ActivityInterface
  public interface Checkpoints {
    int checkpoint(int done);
  }

  public static class CheckpointsImpl implements Checkpoints {
    @Override
    public int checkpoint(int done) {
      return done;
    }
  }

  @WorkflowInterface
  public interface Eternal {
    @WorkflowMethod
    String count(int done, int total);
  }

  /** 100 iterations per run (a side effect each, an activity every 25th), then continue as new. */
  public static class EternalImpl implements Eternal {
    private final Checkpoints checkpoints = Workflow.newActivityStub(Checkpoints.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public String count(int done, int total) {
      int runEnd = Math.min(total, done + 100);
      while (done < runEnd) {
        int i = done;
        done = Workflow.sideEffect(Integer.class, () -> i + 1);
        if (done % 25 == 0) {
          done = checkpoints.checkpoint(done);
        }
      }
      if (done < total) {
        Workflow.continueAsNew(done, total);
      }
      return "counted to " + done + " in run " + Workflow.getInfo().runId();
    }
  }

  @WorkflowInterface
  public interface Relay {
    @WorkflowMethod
    List<String> relay(int runsLeft, List<String> received);

    @SignalMethod
    void add(String item);
  }

  /** Continues as new {@code runsLeft} times, carrying what it received; the last run waits for 3 signals. */
  public static class RelayImpl implements Relay {
    private final List<String> received = new ArrayList<>();

    @Override
    public List<String> relay(int runsLeft, List<String> before) {
      received.addAll(0, before);
      if (runsLeft > 0) {
        Workflow.continueAsNew(runsLeft - 1, received);
      }
      Workflow.await(Duration.ofMinutes(10), () -> received.size() >= 3);
      return received;
    }

    @Override
    public void add(String item) {
      received.add(item);
    }
  }

  public static class Setup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(EternalImpl.class, RelayImpl.class);
      worker.registerActivitiesImplementations(new CheckpointsImpl());
    }
  }

  /**
   * Sends a signal to the Relay workflow while its closing batch is about to commit: the client
   * still sees the closing run as current, so the signal's message names that run and is delivered
   * after the close. (With a client that does not wait for the stack to be quiet: the hook runs in
   * the task that quiet waits for.)
   */
  static void signalDuringHandOver(WorkflowClient client, String workflowId, String requestId) {
    client.newUntypedWorkflowStub(workflowId)
        .signal(SignalOptions.newBuilder().setRequestId(requestId).build(), "add", requestId);
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(new Setup(), DevServer.Options.defaults().withHooks(new WorkflowTaskHooks() {
      @Override
      public void beforeCommit(RunKey run, HistoryBatch batch) {
        if (run.workflowId().startsWith("relay") && batch.closingEvent() instanceof Event.WorkflowExecutionContinuedAsNew) {
          signalDuringHandOver(server.client(), run.workflowId(), "handover-" + run.runId().substring(0, 8));
        }
      }
    }));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    if (stack.equals("in-memory")) {
      AtomicInteger handOvers = new AtomicInteger();
      TestWorkflowEnvironment[] self = new TestWorkflowEnvironment[1];
      TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
          .setStartTime(Instant.parse("2026-01-01T00:00:00Z")).setWorkflowTaskFaults(new WorkflowTaskFaults() {
            @Override
            public void beforeCommit(String workflowId, int batchSeq, long lastEventId) {
              // Each Relay run but the last continues as new in its first batch.
              if (workflowId.startsWith("relay") && batchSeq == 1 && handOvers.get() < 3) {
                // In the engine's thread, a send does not wait for the engine to be quiet.
                signalDuringHandOver(self[0].getWorkflowClient(), workflowId, "handover-" + handOvers.incrementAndGet());
              }
            }
          }).build());
      self[0] = env;
      env.registerWorkflowImplementationTypes(EternalImpl.class, RelayImpl.class);
      env.registerActivitiesImplementations(new CheckpointsImpl());
      return env;
    }
    return TestWorkflowEnvironment.newInstance(new EmbeddedAwsBackend(server));
  }

  private static List<WorkflowExecutionInfo> runsOf(WorkflowClient client, String workflowId) {
    return client.listExecutions(ListExecutionsRequest.all()).stream()
        .filter(r -> r.execution().workflowId().equals(workflowId)).toList();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void anEternalWorkflowContinuesAsNewEvery100IterationsAndTheResultComesFromItsLastRun(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      // Nothing here waits on time: no skipping toward the execution timeout between the stack's
      // 40 activity hand-offs (the embedded stack's idle check looks at one queue at a time).
      env.setAutoTimeSkipping(false);
      WorkflowClient client = env.getWorkflowClient();
      String id = "eternal-" + stack;
      Eternal stub = client.newWorkflowStub(Eternal.class, WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowExecutionTimeout(Duration.ofHours(1)).build());
      WorkflowExecution first = WorkflowClient.start(stub::count, 0, 1_000);
      String result = stub.count(0, 1_000); // bound to the first run: follows the chain

      List<WorkflowExecutionInfo> runs = new ArrayList<>(runsOf(client, id));
      assertEquals(10, runs.size(), "1,000 iterations, 100 per run");
      String lastRunId = client.describe(id).execution().runId();
      assertEquals("counted to 1000 in run " + lastRunId, result);
      assertEquals(WorkflowExecutionStatus.COMPLETED, client.describe(id).status());
      assertEquals(9, runs.stream().filter(r -> r.status() == WorkflowExecutionStatus.CONTINUED_AS_NEW).count());

      // Walk the chain from the first run by the closing events: each history is bounded (its 100
      // iterations), each run starts where the last left off, with the chain's execution timeout.
      String runId = first.runId();
      Instant expiration = null;
      for (int n = 1; n <= 10; n++) {
        List<HistoryEvent> history = client.fetchHistory(id, runId);
        assertTrue(history.size() <= 120, "run " + n + " has " + history.size() + " events");
        Event.WorkflowExecutionStarted started = assertInstanceOf(Event.WorkflowExecutionStarted.class,
            history.getFirst().event());
        assertEquals("[" + (n - 1) * 100 + ",1000]", started.input().toString().replace(" ", ""));
        if (expiration == null) {
          expiration = started.startOptions().workflowExecutionExpirationTime();
          assertNotNull(expiration);
        }
        assertEquals(expiration, started.startOptions().workflowExecutionExpirationTime(), "run " + n);
        Event closing = history.getLast().event();
        if (n < 10) {
          runId = assertInstanceOf(Event.WorkflowExecutionContinuedAsNew.class, closing).newRunId();
        } else {
          assertInstanceOf(Event.WorkflowExecutionCompleted.class, closing);
          assertEquals(lastRunId, runId);
        }
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aSignalSentDuringTheHandOverReachesTheNextRun(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "relay-" + stack;
      Relay stub = client.newWorkflowStub(Relay.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
      List<String> received = stub.relay(3, List.of());
      assertEquals(3, received.size(), "one signal per hand-over, none lost: " + received);
      assertEquals(3, received.stream().distinct().filter(s -> s.startsWith("handover-")).count(), received.toString());
      // Each was sent to a run that closed before it arrived: no run recorded the signal sent to it
      // (a run records the signals that reach it before its close, and carries them over).
      List<WorkflowExecutionInfo> runs = runsOf(client, id);
      assertEquals(4, runs.size());
      for (WorkflowExecutionInfo run : runs) {
        List<HistoryEvent> history = client.fetchHistory(id, run.execution().runId());
        assertInstanceOf(Event.WorkflowExecutionStarted.class, history.getFirst().event());
        if (run.status() == WorkflowExecutionStatus.CONTINUED_AS_NEW) {
          assertInstanceOf(Event.WorkflowExecutionContinuedAsNew.class, history.getLast().event());
        }
      }
    }
  }
}
