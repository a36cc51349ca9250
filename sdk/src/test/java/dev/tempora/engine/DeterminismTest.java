package dev.tempora.engine;

import static dev.tempora.engine.Envs.env;
import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowStub;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.EngineStats;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.WorkflowReplayer;
import dev.tempora.testing.WorkflowTaskFaults;
import dev.tempora.workflow.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;


class DeterminismTest {

  @ActivityInterface
  public interface Step {
    int step(int i);
  }

  @WorkflowInterface
  public interface Steps {
    @WorkflowMethod
    int run(int n);

    @QueryMethod
    String identity();
  }

  static final List<Boolean> LOGGED_WHILE_REPLAYING = new CopyOnWriteArrayList<>();
  static final AtomicInteger SIDE_EFFECT_CALLS = new AtomicInteger();

  public static class StepsImpl implements Steps {
    private final Step step = Workflow.newActivityStub(Step.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());
    private String identity;

    @Override
    public int run(int n) {
      String uuid = Workflow.randomUUID().toString();
      int random = Workflow.newRandom().nextInt(1000);
      long token = Workflow.sideEffect(Long.class, () -> {
        SIDE_EFFECT_CALLS.incrementAndGet();
        return System.nanoTime();
      });
      identity = uuid + "/" + random + "/" + token + "/" + Workflow.currentTimeMillis();
      int sum = 0;
      for (int i = 0; i < n; i++) {
        sum += step.step(i);
        LOGGED_WHILE_REPLAYING.add(Workflow.isReplaying());
        Workflow.getLogger(StepsImpl.class).debug("step {} done", i);
      }
      return sum;
    }

    @Override
    public String identity() {
      return identity;
    }
  }

  private static TestWorkflowEnvironment stepsEnv(int cacheSize) {
    TestWorkflowEnvironment env = env(cacheSize);
    env.registerWorkflowImplementationTypes(StepsImpl.class);
    env.registerActivitiesImplementations((Step) i -> i);
    return env;
  }

  @Test
  void randomnessSideEffectsAndTimeAreStableAcrossReplays() {
    SIDE_EFFECT_CALLS.set(0);
    try (TestWorkflowEnvironment env = stepsEnv(600)) {
      Steps wf = env.getWorkflowClient().newWorkflowStub(Steps.class, id("d1"));
      WorkflowClient.start(wf::run, 3);
      String first = wf.identity();
      env.evictRunners();
      String afterReplay = wf.identity(); // replays from the start in a new runner
      assertEquals(first, afterReplay);
      assertEquals(1, SIDE_EFFECT_CALLS.get(), "a side effect runs once; replays read the recorded marker");
      assertEquals(3, WorkflowStub.fromTyped(wf).getResult(Integer.class));
      assertTrue(env.getWorkflowClient().fetchHistory("d1").stream()
          .anyMatch(e -> e.event().describe().startsWith("MarkerRecorded SideEffect#1")));
    }
  }

  /**
   * Issue 10, difference 8: runners evicted while a task finishes (its batch stored, its runner not
   * yet back in the cache) stay evicted, so the next task replays. The fault hook evicts in exactly
   * that window, as a test calling evictRunners() after seeing the batch may.
   */
  @Test
  void anEvictionWhileATaskFinishesMakesTheNextTaskReplay() {
    AtomicReference<TestWorkflowEnvironment> current = new AtomicReference<>();
    WorkflowTaskFaults evictAfterFirstBatch = new WorkflowTaskFaults() {
      @Override
      public void afterCommit(String workflowId, int batchSeq, long lastEventId) {
        if (batchSeq == 1) {
          current.get().evictRunners();
        }
      }
    };
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setStartTime(Envs.T0).setIdSeed(7).setRunnerCacheSize(600).setWorkflowTaskFaults(evictAfterFirstBatch).build())) {
      current.set(env);
      env.registerWorkflowImplementationTypes(StepsImpl.class);
      env.registerActivitiesImplementations((Step) i -> i);
      assertEquals(1, env.getWorkflowClient().newWorkflowStub(Steps.class, id("evicted")).run(2));
      EngineStats stats = env.stats();
      assertEquals(3, stats.workflowTasks());
      assertEquals(2, stats.fullReplays(), "the first task's runner was evicted; the second task replayed");
    }
  }

  @Test
  void warmCacheAppliesOnlyNewEventsAndAMissReplaysEverything() {
    int n = 50;
    try (TestWorkflowEnvironment warm = stepsEnv(600); TestWorkflowEnvironment cold = stepsEnv(0)) {
      assertEquals(n * (n - 1) / 2, warm.getWorkflowClient().newWorkflowStub(Steps.class, id("w")).run(n));
      assertEquals(n * (n - 1) / 2, cold.getWorkflowClient().newWorkflowStub(Steps.class, id("w")).run(n));
      EngineStats w = warm.stats();
      EngineStats c = cold.stats();
      assertEquals(n + 1, w.workflowTasks());
      assertEquals(n + 1, c.workflowTasks());
      assertEquals(1, w.fullReplays(), "warm: one runner for the whole run");
      assertEquals(n + 1, c.fullReplays(), "cold: every task replays");
      // Reads for the tasks themselves: warm reads no batch it already applied; cold reads 0+1+...+n.
      long resultReads = 1; // getResult reads only the newest batch, which holds the closing event
      assertEquals(resultReads, w.historyBatchesRead());
      assertEquals((long) n * (n + 1) / 2 + resultReads, c.historyBatchesRead());
      // Same events but the side-effect marker (it recorded each environment's own nanoTime).
      assertEquals(withoutMarkers(warm.getWorkflowClient().fetchHistory("w")),
          withoutMarkers(cold.getWorkflowClient().fetchHistory("w")), "a cold runner records what a warm one does");
    }
  }

  private static List<HistoryEvent> withoutMarkers(List<HistoryEvent> h) {
    return h.stream().filter(e -> !(e.event() instanceof Event.MarkerRecorded)).toList();
  }

  @WorkflowInterface
  public interface Ticker {
    @WorkflowMethod
    int tick(int n);
  }

  public static class TickerImpl implements Ticker {
    @Override
    public int tick(int n) {
      for (int i = 0; i < n; i++) {
        Workflow.sleep(Duration.ofMinutes(1));
      }
      return n;
    }
  }

  @Test
  void replayLogsNothingAndKnowsItIsReplaying() {
    LOGGED_WHILE_REPLAYING.clear();
    try (TestWorkflowEnvironment cold = stepsEnv(0)) {
      cold.getWorkflowClient().newWorkflowStub(Steps.class, id("r")).run(3);
    }
    // Step i is seen once live and then once per later task while replaying.
    assertEquals(List.of(false, true, false, true, true, false), LOGGED_WHILE_REPLAYING);
  }

  @Test
  void evictionKeepsWorkflowsCorrect() {
    try (TestWorkflowEnvironment env = env(1)) {
      env.registerWorkflowImplementationTypes(TickerImpl.class);
      WorkflowClient c = env.getWorkflowClient();
      List<Ticker> stubs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Ticker s = c.newWorkflowStub(Ticker.class, id("e" + i));
        WorkflowClient.start(s::tick, 5);
        stubs.add(s);
      }
      // Their timers fire together, so their tasks alternate and one cached runner is never enough.
      for (Ticker s : stubs) {
        assertEquals(5, WorkflowStub.fromTyped(s).getResult(Integer.class));
      }
      assertTrue(env.stats().cacheEvictions() > 0, env.stats().toString());
    }
  }

  @Test
  void replayerAcceptsTheSameCodeAndNamesAChange() {
    List<HistoryEvent> history;
    try (TestWorkflowEnvironment env = stepsEnv(600)) {
      env.getWorkflowClient().newWorkflowStub(Steps.class, id("h")).run(2);
      history = env.getWorkflowClient().fetchHistory("h");
    }
    WorkflowReplayer.replayWorkflowExecution(history, StepsImpl.class);
    NonDeterministicWorkflowError e = assertThrows(NonDeterministicWorkflowError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history, SleepFirst.class));
    assertTrue(e.getMessage().contains("history has marker SideEffect#1 at event 3, code started timer #1"), e.getMessage());
  }

  public static class SleepFirst implements Steps {
    @Override
    public int run(int n) {
      Workflow.sleep(Duration.ofSeconds(1));
      return 0;
    }

    @Override
    public String identity() {
      return "";
    }
  }

  @WorkflowInterface
  public interface Broken {
    @WorkflowMethod
    String run();
  }

  public static class BlocksTheThread implements Broken {
    @Override
    public String run() {
      try {
        Thread.sleep(2_000); // not allowed: real blocking in workflow code
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "late";
    }
  }

  public static class ThrowsABug implements Broken {
    @Override
    public String run() {
      throw new IllegalStateException("bug in workflow code");
    }
  }

  public static class Fixed implements Broken {
    @Override
    public String run() {
      return "fixed";
    }
  }

  @Test
  void aBlockedWorkflowThreadFailsTheTaskWithAPotentialDeadlock() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setDeadlockTimeout(Duration.ofMillis(200)).build())) {
      env.registerWorkflowImplementationTypes(BlocksTheThread.class);
      env.getWorkflowClient().newUntypedWorkflowStub("Broken", id("b")).start();
      String failure = env.getWorkflowClient().describe("b").taskFailure();
      assertNotNull(failure);
      assertTrue(failure.contains("did not yield within 200 ms"), failure);
    }
  }

  @Test
  void anExceptionInWorkflowCodeFailsTheTaskNotTheWorkflow() {
    try (TestWorkflowEnvironment env = env()) {
      env.registerWorkflowImplementationTypes(ThrowsABug.class);
      WorkflowStub s = env.getWorkflowClient().newUntypedWorkflowStub("Broken", id("x"));
      s.start();
      var d = env.getWorkflowClient().describe("x");
      assertEquals(WorkflowExecutionStatus.RUNNING, d.status());
      assertTrue(d.taskFailure().contains("bug in workflow code"), d.taskFailure());
      assertEquals(0, d.historyLength());
      env.registerWorkflowImplementationTypes(Fixed.class);
      assertEquals("fixed", s.getResult(String.class));
    }
  }
}
