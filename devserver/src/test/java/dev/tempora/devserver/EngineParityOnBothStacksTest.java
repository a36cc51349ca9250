package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.CancellationScope;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10 (behave like Temporal), the engine's part, on the in-memory environment and the embedded
 * AWS stack: signal-with-start runs the signal handler before the workflow method (difference 2),
 * a timer longer than 15 minutes never fires before its time (difference 6), and the API shapes
 * Temporal code uses: {@code Workflow.newTimer} cancelled by a scope with a reason, typed {@code
 * Promise.anyOf}, {@code Async} with six arguments.
 */
class EngineParityOnBothStacksTest {

  @WorkflowInterface
  public interface Greeter {
    @WorkflowMethod
    String greet();

    @SignalMethod
    void setName(String name);
  }

  /** Reads the name as soon as it runs: on Temporal a signal-with-start's handler has set it. */
  public static class GreeterImpl implements Greeter {
    private String name = "nobody";

    @Override
    public String greet() {
      return "hello " + name;
    }

    @Override
    public void setName(String name) {
      this.name = name;
    }
  }

  @WorkflowInterface
  public interface HourSleeper {
    /** Sleeps an hour; returns the workflow time that passed, in milliseconds. */
    @WorkflowMethod
    long sleepAnHour();
  }

  public static class HourSleeperImpl implements HourSleeper {
    @Override
    public long sleepAnHour() {
      long start = Workflow.currentTimeMillis();
      Workflow.sleep(Duration.ofHours(1));
      return Workflow.currentTimeMillis() - start;
    }
  }

  @WorkflowInterface
  public interface Shapes {
    @WorkflowMethod
    List<String> run();
  }

  public static class ShapesImpl implements Shapes {
    private final List<String> out = new ArrayList<>();

    private String join(String a, String b, String c, String d, String e, String f) {
      return a + b + c + d + e + f;
    }

    private void add(String a, String b, String c, String d, String e, String f) {
      out.add(join(a, b, c, d, e, f));
    }

    @Override
    public List<String> run() {
      @SuppressWarnings("unchecked")
      Promise<Void>[] longTimer = new Promise[1];
      CancellationScope scope = Workflow.newCancellationScope(() -> longTimer[0] = Workflow.newTimer(Duration.ofHours(2)));
      scope.run();
      Promise<Void> shortTimer = Workflow.newTimer(Duration.ofSeconds(2));
      // Typed: promises of one type give a promise of that type.
      Promise<Void> first = Promise.anyOf(List.of(longTimer[0], shortTimer));
      first.get();
      out.add("short fired: " + shortTimer.isCompleted());
      scope.cancel("no longer needed");
      try {
        longTimer[0].get();
        out.add("long fired");
      } catch (CanceledFailure e) {
        out.add("long canceled: " + e.getMessage() + " / " + scope.getCancellationReason());
      }
      out.add(Async.function(this::join, "a", "b", "c", "d", "e", "f").get());
      Async.procedure(this::add, "u", "v", "w", "x", "y", "z").get();
      Promise<Void> zero = Workflow.newTimer(Duration.ZERO);
      out.add("zero timer done: " + zero.isCompleted());
      return out;
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(w -> w.registerWorkflowImplementationTypes(GreeterImpl.class, HourSleeperImpl.class,
        ShapesImpl.class));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    // Not on a whole second: a fire time cut to the second would be early.
    TestWorkflowEnvironment env = BothStacks.environment(stack, server, Instant.parse("2026-01-01T00:00:00.731Z"));
    env.registerWorkflowImplementationTypes(GreeterImpl.class, HourSleeperImpl.class, ShapesImpl.class);
    return env;
  }

  private static List<Event> events(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::event).toList();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void signalWithStartRunsTheSignalHandlerBeforeTheWorkflowMethod(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "sws-first-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Greeter", WorkflowOptions.newBuilder().setWorkflowId(id).build());
      stub.signalWithStart("setName", new Object[] {"ada"}, new Object[] {});
      assertEquals("hello ada", stub.getResult(Duration.ofSeconds(30), String.class));
      List<Event> h = events(client.fetchHistory(id));
      assertInstanceOf(Event.WorkflowExecutionStarted.class, h.get(0), h.toString());
      assertInstanceOf(Event.WorkflowSignaled.class, h.get(1), h.toString());
      assertInstanceOf(Event.WorkflowTaskCompleted.class, h.get(2), h.toString());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aOneHourTimerNeverFiresBeforeItsTime(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "hour-" + stack;
      HourSleeper s = client.newWorkflowStub(HourSleeper.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
      long slept = s.sleepAnHour();
      assertTrue(slept >= Duration.ofHours(1).toMillis(), "the workflow slept " + Duration.ofMillis(slept));
      List<HistoryEvent> h = client.fetchHistory(id);
      Event.TimerStarted started = h.stream().map(HistoryEvent::event).filter(Event.TimerStarted.class::isInstance)
          .map(Event.TimerStarted.class::cast).findFirst().orElseThrow();
      HistoryEvent fired = h.stream().filter(e -> e.event() instanceof Event.TimerFired).findFirst().orElseThrow();
      assertFalse(fired.timestamp().isBefore(started.fireTime()),
          "TimerFired at " + fired.timestamp() + ", due at " + started.fireTime());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void newTimerAnyOfAndSixArgumentAsyncBehaveAsOnTemporal(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "shapes-" + stack;
      Shapes s = client.newWorkflowStub(Shapes.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
      assertEquals(List.of("short fired: true", "long canceled: no longer needed / no longer needed", "abcdef",
          "uvwxyz", "zero timer done: true"), s.run());
      List<Event> h = events(client.fetchHistory(id));
      assertEquals(2, h.stream().filter(Event.TimerStarted.class::isInstance).count(), h.toString());
      assertEquals(1, h.stream().filter(Event.TimerFired.class::isInstance).count(), h.toString());
      assertEquals(List.of(new Event.TimerCanceled(1)),
          h.stream().filter(Event.TimerCanceled.class::isInstance).toList(), "the 2-hour timer, seq 1");
    }
  }
}
