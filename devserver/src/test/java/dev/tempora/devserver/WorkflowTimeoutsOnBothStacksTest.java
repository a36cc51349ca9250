package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WorkflowOptions' execution and run timeouts (issue 10) are enforced by the engine on both
 * stacks: a run still open at its deadline closes as TIMED_OUT with a WorkflowExecutionTimedOut
 * event, and its result throws WorkflowFailedException caused by a TimeoutFailure, as in
 * Temporal. Long deadlines go through the Scheduler path on AWS, short ones through SQS delays.
 */
class WorkflowTimeoutsOnBothStacksTest {

  @WorkflowInterface
  public interface Sleeper {
    @WorkflowMethod
    String sleep(int minutes);
  }

  public static class SleeperImpl implements Sleeper {
    @Override
    public String sleep(int minutes) {
      Workflow.sleep(Duration.ofMinutes(minutes));
      return "woke after " + minutes;
    }
  }

  @WorkflowInterface
  public interface Broken {
    @WorkflowMethod
    String run();
  }

  /** Its task fails every time: the run is parked, RUNNING, until its timeout closes it. */
  public static class BrokenImpl implements Broken {
    @Override
    public String run() {
      throw new IllegalStateException("a bug");
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
    env.registerWorkflowImplementationTypes(SleeperImpl.class, BrokenImpl.class);
    return env;
  }

  private static void assertTimedOut(WorkflowClient client, String id, WorkflowStub stub) {
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub.getResult(String.class));
    assertEquals(WorkflowExecutionStatus.TIMED_OUT, e.getStatus());
    TimeoutFailure cause = assertInstanceOf(TimeoutFailure.class, e.getCause());
    assertEquals(TimeoutType.START_TO_CLOSE, cause.getTimeoutType());
    assertEquals(WorkflowExecutionStatus.TIMED_OUT, client.describe(id).status());
    List<HistoryEvent> history = client.fetchHistory(id);
    assertInstanceOf(Event.WorkflowExecutionTimedOut.class, history.getLast().event(), history.toString());
    assertEquals(1, history.stream().filter(h -> h.event() instanceof Event.WorkflowExecutionTimedOut).count());
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRunStillOpenAtItsRunTimeoutTimesOut(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "run-timeout-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Sleeper", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowRunTimeout(Duration.ofSeconds(3)).build());
      stub.start(60);
      assertTimedOut(client, id, stub);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRunStillOpenAtItsExecutionTimeoutTimesOut(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "execution-timeout-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Sleeper", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowExecutionTimeout(Duration.ofHours(2)).build());
      Instant started = env.currentTime();
      stub.start(24 * 60);
      assertTimedOut(client, id, stub);
      Instant closed = client.describe(id).closeTime();
      assertFalse(closed.isBefore(started.plus(Duration.ofHours(2))), "not before its deadline: " + closed);
      assertTrue(closed.isBefore(started.plus(Duration.ofHours(24))), "before the workflow's own timer: " + closed);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRunThatClosesBeforeItsTimeoutIsNotTouchedByIt(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "in-time-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Sleeper", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowRunTimeout(Duration.ofHours(1)).build());
      stub.start(30);
      assertEquals("woke after 30", stub.getResult(String.class));
      int events = client.fetchHistory(id).size();
      env.sleep(Duration.ofHours(2));
      assertEquals(WorkflowExecutionStatus.COMPLETED, client.describe(id).status());
      assertEquals(events, client.fetchHistory(id).size());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRunWhoseTaskIsParkedStillTimesOut(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "parked-timeout-" + stack;
      WorkflowStub stub = client.newUntypedWorkflowStub("Broken", WorkflowOptions.newBuilder().setWorkflowId(id)
          .setWorkflowRunTimeout(Duration.ofSeconds(3)).build());
      stub.start();
      assertTimedOut(client, id, stub);
      assertNull(client.describe(id).taskFailure(), "a closed run shows no task failure");
    }
  }
}
