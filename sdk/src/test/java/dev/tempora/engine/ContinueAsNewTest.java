package dev.tempora.engine;

import static dev.tempora.engine.Envs.env;
import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowExecutionInfo;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.WorkflowTaskFaults;
import dev.tempora.testing.WorkflowReplayer;
import dev.tempora.workflow.ContinueAsNewOptions;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInfo;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Continue-as-new in the engine (in memory): the stub form with options, what carries over to
 * the next run, the next run's WorkflowInfo, the suggestion at 4,000 events, and replay of a
 * closed run's history. The scenarios that must hold on both stacks (the eternal counter, a
 * signal during the hand-over) are in the devserver's ContinueAsNewOnBothStacksTest.
 */
class ContinueAsNewTest {

  @WorkflowInterface
  public interface Looper {
    @WorkflowMethod
    String loop(int runsLeft);

    @QueryMethod
    String info();
  }

  /** Continues through a continue-as-new stub, changing the run timeout and memo; records its info. */
  public static class LooperImpl implements Looper {
    private String info = "";

    @Override
    public String loop(int runsLeft) {
      WorkflowInfo i = Workflow.getInfo();
      info = i.runId() + " from " + i.getContinuedExecutionRunId().orElse("none");
      Workflow.sleep(Duration.ofMinutes(1));
      if (runsLeft == 0) {
        return "done in " + i.runId() + " (continued from " + i.continuedExecutionRunId() + ")";
      }
      Looper next = Workflow.newContinueAsNewStub(Looper.class, ContinueAsNewOptions.newBuilder()
          .setWorkflowRunTimeout(Duration.ofHours(runsLeft)).setMemo(Map.of("left", runsLeft - 1)).build());
      next.loop(runsLeft - 1);
      throw new IllegalStateException("continueAsNew returned");
    }

    @Override
    public String info() {
      return info;
    }
  }

  @Test
  void theStubContinuesAsNewWithItsOptionsAndTheClientFollowsTheChain() {
    try (TestWorkflowEnvironment env = env(0)) {
      env.registerWorkflowImplementationTypes(LooperImpl.class);
      WorkflowClient c = env.getWorkflowClient();
      Looper stub = c.newWorkflowStub(Looper.class, WorkflowOptions.newBuilder().setWorkflowId("looper")
          .setWorkflowExecutionTimeout(Duration.ofDays(3)).setMemo(Map.of("left", 2)).build());
      WorkflowExecution first = WorkflowClient.start(stub::loop, 2);
      String result = stub.loop(0); // bound by the start: waits for the chain's last run
      List<WorkflowExecutionInfo> runs = c.listExecutions(ListExecutionsRequest.all());
      assertEquals(List.of(WorkflowExecutionStatus.COMPLETED, WorkflowExecutionStatus.CONTINUED_AS_NEW,
          WorkflowExecutionStatus.CONTINUED_AS_NEW), runs.stream().map(WorkflowExecutionInfo::status).toList());
      String last = runs.get(0).execution().runId();
      String middle = runs.get(1).execution().runId();
      assertEquals(first.runId(), runs.get(2).execution().runId());
      assertEquals("done in " + last + " (continued from " + middle + ")", result);

      List<HistoryEvent> firstHistory = c.fetchHistory("looper", first.runId());
      Event.WorkflowExecutionContinuedAsNew closing = assertInstanceOf(Event.WorkflowExecutionContinuedAsNew.class,
          firstHistory.getLast().event());
      assertEquals(middle, closing.newRunId());
      Event.WorkflowExecutionStarted middleStart = assertInstanceOf(Event.WorkflowExecutionStarted.class,
          c.fetchHistory("looper", middle).getFirst().event());
      assertEquals(first.runId(), middleStart.continuedFromRunId());
      assertEquals(Duration.ofHours(2), middleStart.startOptions().workflowRunTimeout(), "the stub's run timeout");
      assertEquals(Duration.ofDays(3), middleStart.startOptions().workflowExecutionTimeout(), "carried over");
      assertEquals(Envs.T0.plus(Duration.ofDays(3)), middleStart.startOptions().workflowExecutionExpirationTime(),
          "the chain's expiration, not a new one");
      assertEquals(1, middleStart.startOptions().attempt());

      WorkflowDescription d = c.describe("looper");
      assertEquals(last, d.execution().runId(), "describe shows the latest run");
      assertEquals(Map.of("left", 0), d.memo());
      assertEquals(Duration.ofHours(1), d.workflowRunTimeout());
      assertEquals(last + " from " + middle, c.newWorkflowStub(Looper.class, "looper").info());

      // Each run's history replays on its own.
      for (WorkflowExecutionInfo run : runs) {
        WorkflowReplayer.replayWorkflowExecution(c.fetchHistory("looper", run.execution().runId()), LooperImpl.class);
      }
    }
  }

  @WorkflowInterface
  public interface Marker {
    @WorkflowMethod
    String mark(long suggestedAt, int runs);
  }

  /**
   * 1,000 side effects per task until the history is large enough that continue-as-new is
   * suggested, then continues as new with the length it saw; the second run returns.
   */
  public static class MarkerImpl implements Marker {
    @Override
    public String mark(long suggestedAt, int runs) {
      if (runs == 2) {
        return "suggested at " + suggestedAt + "; now " + Workflow.getInfo().historyLength() + " "
            + Workflow.getInfo().isContinueAsNewSuggested();
      }
      while (!Workflow.getInfo().isContinueAsNewSuggested()) {
        for (int i = 0; i < 1_000; i++) {
          Workflow.sideEffect(Integer.class, () -> 1);
        }
        Workflow.sleep(Duration.ofSeconds(1));
      }
      Workflow.continueAsNew(Workflow.getInfo().historyLength(), runs + 1);
      return null; // not reached: continueAsNew does not return
    }
  }

  @Test
  void continueAsNewIsSuggestedFrom4000Events() {
    try (TestWorkflowEnvironment env = env()) {
      env.registerWorkflowImplementationTypes(MarkerImpl.class);
      WorkflowClient c = env.getWorkflowClient();
      String result = c.newWorkflowStub(Marker.class, id("marker")).mark(0, 1);
      // The first task makes 1,003 events (start, WorkflowTaskCompleted, 1,000 markers, a timer),
      // each next one 1,003 more (the fired timer first): the 4th task runs at event 3,011, not yet
      // suggested, the 5th at 4,014 (its WorkflowTaskCompleted), suggested. The next run starts over.
      assertEquals("suggested at 4014; now 2 false", result);
    }
  }

  @WorkflowInterface
  public interface Relay {
    @WorkflowMethod
    List<String> relay(int runsLeft, List<String> received);

    @SignalMethod
    void add(String item);
  }

  public static class RelayImpl implements Relay {
    private final List<String> received = new ArrayList<>();

    @Override
    public List<String> relay(int runsLeft, List<String> before) {
      received.addAll(0, before);
      if (runsLeft > 0) {
        Workflow.continueAsNew(runsLeft - 1, received);
      }
      Workflow.await(Duration.ofMinutes(1), () -> received.size() >= 2);
      return received;
    }

    @Override
    public void add(String item) {
      received.add(item);
    }
  }

  @Test
  void aSignalThatReachesTheRunAfterItContinuedAsNewIsMovedToTheNextRun() {
    AtomicInteger sent = new AtomicInteger();
    TestWorkflowEnvironment[] self = new TestWorkflowEnvironment[1];
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setStartTime(Envs.T0).setIdSeed(7)
            .setWorkflowTaskFaults(new WorkflowTaskFaults() {
              @Override
              public void beforeCommit(String workflowId, int batchSeq, long lastEventId) {
                // The first batch of the two runs that continue as new: the client still sees the
                // closing run as current, so the signal is sent to it and arrives after its close.
                if (batchSeq == 1 && sent.get() < 2) {
                  self[0].getWorkflowClient().newUntypedWorkflowStub(workflowId).signal("add",
                      "sent to run " + sent.incrementAndGet());
                }
              }
            }).build())) {
      self[0] = env;
      env.registerWorkflowImplementationTypes(RelayImpl.class);
      WorkflowClient c = env.getWorkflowClient();
      List<String> received = c.newWorkflowStub(Relay.class, id("relay")).relay(2, List.of());
      assertEquals(List.of("sent to run 1", "sent to run 2"), received);
      List<WorkflowExecutionInfo> runs = c.listExecutions(ListExecutionsRequest.all());
      assertEquals(3, runs.size());
      // The runs that continued as new recorded none of them: each was moved on.
      for (WorkflowExecutionInfo run : runs) {
        if (run.status() != WorkflowExecutionStatus.CONTINUED_AS_NEW) {
          continue;
        }
        assertTrue(c.fetchHistory("relay", run.execution().runId()).stream()
            .noneMatch(h -> h.event() instanceof Event.WorkflowSignaled));
      }
    }
  }
}
