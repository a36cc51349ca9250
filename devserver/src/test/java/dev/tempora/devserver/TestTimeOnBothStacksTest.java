package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.CancellationScope;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How time and client calls behave in a test environment, the same on the in-memory environment
 * and the embedded AWS stack (issue 10, differences 3 and 4), as in Temporal's test server:
 * client calls return once the workflow tasks they caused are done, without waiting for timers or
 * running activities; and while an activity runs, time passes (as real time does), so a timer can
 * fire meanwhile.
 */
class TestTimeOnBothStacksTest {

  @ActivityInterface
  public interface Slow {
    /** Runs until {@code key}'s gate opens, the workflow cancels it, or {@code seconds} pass. */
    String work(String key, int seconds);
  }

  /** Gates the tests open, by key; an activity that sees its cancellation records it here. */
  static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
  static final Map<String, Boolean> SAW_CANCELLATION = new ConcurrentHashMap<>();

  public static class SlowImpl implements Slow {
    @Override
    public String work(String key, int seconds) {
      CountDownLatch gate = GATES.computeIfAbsent(key, k -> new CountDownLatch(1));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < deadline) {
        try {
          Activity.getExecutionContext().heartbeat(null);
        } catch (CanceledFailure e) {
          SAW_CANCELLATION.put(key, true);
          throw e;
        }
        try {
          if (gate.await(100, TimeUnit.MILLISECONDS)) {
            return "released";
          }
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      return "finished";
    }
  }

  private static Slow slowActivity() {
    return Workflow.newActivityStub(Slow.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(3))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @WorkflowInterface
  public interface Deadline {
    /** Runs a {@code seconds}-long activity in a scope that a {@code timerSeconds} timer cancels. */
    @WorkflowMethod
    String run(String key, int seconds, int timerSeconds);
  }

  public static class DeadlineImpl implements Deadline {
    @Override
    public String run(String key, int seconds, int timerSeconds) {
      Slow slow = slowActivity();
      @SuppressWarnings("unchecked")
      Promise<String>[] result = new Promise[1];
      CancellationScope scope = Workflow.newCancellationScope(() -> result[0] = Async.function(slow::work, key, seconds));
      scope.run();
      Promise<Void> timer = Async.procedure(Workflow::sleep, Duration.ofSeconds(timerSeconds));
      Promise.anyOf(result[0], timer).get();
      if (!result[0].isCompleted()) {
        scope.cancel();
      }
      try {
        return result[0].get();
      } catch (ActivityFailure e) {
        return e.getCause() instanceof CanceledFailure ? "canceled by the timer" : "failed";
      }
    }
  }

  @WorkflowInterface
  public interface Napper {
    @WorkflowMethod
    String nap(int seconds);

    @SignalMethod
    void poke(String by);

    @QueryMethod
    String state();
  }

  public static class NapperImpl implements Napper {
    private String state = "started";
    private String pokedBy;

    @Override
    public String nap(int seconds) {
      state = "sleeping";
      boolean poked = Workflow.await(Duration.ofSeconds(seconds), () -> pokedBy != null);
      state = "awake";
      return poked ? "poked by " + pokedBy : "slept " + seconds + " s";
    }

    @Override
    public void poke(String by) {
      pokedBy = by;
    }

    @Override
    public String state() {
      return state;
    }
  }

  @WorkflowInterface
  public interface Busy {
    @WorkflowMethod
    String run(String key, int seconds);

    @QueryMethod
    String state();
  }

  public static class BusyImpl implements Busy {
    private String state = "started";

    @Override
    public String run(String key, int seconds) {
      state = "working";
      String r = slowActivity().work(key, seconds);
      state = "done";
      return r;
    }

    @Override
    public String state() {
      return state;
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
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    env.registerWorkflowImplementationTypes(DeadlineImpl.class, NapperImpl.class, BusyImpl.class);
    env.registerActivitiesImplementations(new SlowImpl());
    return env;
  }

  private static WorkflowOptions id(String id) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).build();
  }

  /** Difference 3: the 3 s timer fires while the 10 s activity runs, and cancels it. */
  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aTimerFiresWhileALongActivityRunsAndCancelsIt(String stack) {
    String key = "deadline-" + stack;
    try (TestWorkflowEnvironment env = environment(stack)) {
      Deadline wf = env.getWorkflowClient().newWorkflowStub(Deadline.class, id(key));
      assertEquals("canceled by the timer", wf.run(key, 10, 3));
      env.awaitIdle();
      assertEquals(Boolean.TRUE, SAW_CANCELLATION.get(key), "the activity learnt of the cancellation at a heartbeat");
    }
  }

  /**
   * The other half of Temporal's rule: a running activity holds time skipping, so an hour-long
   * timer does not jump ahead of a 1 s activity (were time to skip whenever only activities run,
   * the timer would cancel it).
   */
  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aLongTimerDoesNotSkipAheadOfARunningActivity(String stack) {
    String key = "no-skip-" + stack;
    try (TestWorkflowEnvironment env = environment(stack)) {
      Deadline wf = env.getWorkflowClient().newWorkflowStub(Deadline.class, id(key));
      assertEquals("finished", wf.run(key, 1, 3600));
    }
  }

  /** Difference 4: start returns before the sleep ends, so a query sees the state before it. */
  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aQueryRightAfterStartSeesTheStateBeforeTheSleep(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      Napper wf = env.getWorkflowClient().newWorkflowStub(Napper.class, id("nap-query-" + stack));
      WorkflowClient.start(wf::nap, 5);
      assertEquals("sleeping", wf.state());
      assertEquals("slept 5 s", WorkflowStub.fromTyped(wf).getResult(String.class));
      assertEquals("awake", wf.state());
    }
  }

  /** Difference 4: a signal sent while the workflow sleeps is handled before the sleep ends. */
  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aSignalToASleepingWorkflowIsHandledBeforeTheSleepEnds(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      Napper wf = env.getWorkflowClient().newWorkflowStub(Napper.class, id("nap-signal-" + stack));
      WorkflowClient.start(wf::nap, 5);
      wf.poke("the test");
      assertEquals("poked by the test", WorkflowStub.fromTyped(wf).getResult(String.class));
    }
  }

  /** Difference 4: start does not wait for a long activity (it used to wait until the activity ended). */
  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void startOfAWorkflowWhoseActivityRunsLongReturnsWhileItRuns(String stack) {
    String key = "long-" + stack;
    CountDownLatch gate = GATES.computeIfAbsent(key, k -> new CountDownLatch(1));
    try (TestWorkflowEnvironment env = environment(stack)) {
      Busy wf = env.getWorkflowClient().newWorkflowStub(Busy.class, id(key));
      WorkflowClient.start(wf::run, key, 45);
      assertEquals("working", wf.state(), "start returned while the activity runs");
      gate.countDown();
      assertEquals("released", WorkflowStub.fromTyped(wf).getResult(String.class));
      assertEquals("done", wf.state());
    } finally {
      gate.countDown();
    }
  }
}
