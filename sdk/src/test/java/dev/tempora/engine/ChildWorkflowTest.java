package dev.tempora.engine;

import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.failure.ChildWorkflowFailure;
import dev.tempora.failure.TerminatedFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.WorkflowReplayer;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.CancellationScope;
import dev.tempora.workflow.ChildWorkflowOptions;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Child workflows in the in-memory engine: ids, outcomes as the parent sees them, cancellation, replay. */
class ChildWorkflowTest {

  @WorkflowInterface
  public interface Sleeper {
    @WorkflowMethod
    String sleep(int hours);

    @SignalMethod
    void wake();
  }

  public static class SleeperImpl implements Sleeper {
    private boolean woken;

    @Override
    public String sleep(int hours) {
      if (hours < 0) {
        throw ApplicationFailure.newFailure("cannot sleep " + hours + " hours", "NegativeSleep");
      }
      Workflow.await(Duration.ofHours(hours), () -> woken);
      return (woken ? "woken after " : "slept ") + hours + "h as " + Workflow.getInfo().workflowId();
    }

    @Override
    public void wake() {
      woken = true;
    }
  }

  @WorkflowInterface
  public interface Parent {
    @WorkflowMethod
    String run(String mode);
  }

  public static class ParentImpl implements Parent {
    @Override
    public String run(String mode) {
      switch (mode) {
        case "default-id" -> {
          return Workflow.newChildWorkflowStub(Sleeper.class).sleep(1);
        }
        case "fails" -> {
          try {
            Workflow.newChildWorkflowStub(Sleeper.class).sleep(-1);
            return "no failure?!";
          } catch (ChildWorkflowFailure e) {
            ApplicationFailure cause = (ApplicationFailure) e.getCause();
            return e.getWorkflowId() + " failed: " + cause.getType() + ": " + cause.getOriginalMessage();
          }
        }
        case "taken" -> {
          try {
            Workflow.newChildWorkflowStub(Sleeper.class, ChildWorkflowOptions.newBuilder().setWorkflowId("taken-id")
                .build()).sleep(1);
            return "started?!";
          } catch (ChildWorkflowFailure e) {
            return ((ApplicationFailure) e.getCause()).getType();
          }
        }
        case "cancel" -> {
          Sleeper child = Workflow.newChildWorkflowStub(Sleeper.class);
          Promise<String>[] result = new Promise[1];
          CancellationScope scope = Workflow.newCancellationScope(() -> result[0] = Async.function(child::sleep, 5));
          scope.run();
          Workflow.getWorkflowExecution(child).get();
          scope.cancel();
          try {
            return result[0].get();
          } catch (ChildWorkflowFailure e) {
            return "child " + (e.getCause() instanceof CanceledFailure ? "canceled" : String.valueOf(e.getCause()));
          }
        }
        case "signal" -> {
          Sleeper child = Workflow.newChildWorkflowStub(Sleeper.class);
          Promise<String> r = Async.function(child::sleep, 100);
          Workflow.getWorkflowExecution(child).get();
          child.wake();
          return r.get();
        }
        case "terminated" -> {
          try {
            return Workflow.newChildWorkflowStub(Sleeper.class, ChildWorkflowOptions.newBuilder()
                .setWorkflowId("to-terminate").build()).sleep(10);
          } catch (ChildWorkflowFailure e) {
            return "child " + (e.getCause() instanceof TerminatedFailure ? "terminated" : String.valueOf(e.getCause()));
          }
        }
        default -> throw new IllegalArgumentException(mode);
      }
    }
  }

  private static TestWorkflowEnvironment env() {
    TestWorkflowEnvironment env = Envs.env();
    env.registerWorkflowImplementationTypes(ParentImpl.class, SleeperImpl.class);
    return env;
  }

  private static String run(WorkflowClient client, String workflowId, String mode) {
    return client.newWorkflowStub(Parent.class, id(workflowId)).run(mode);
  }

  @Test
  void theDefaultChildIdIsTheParentsWithTheCommandsNumberAndReplayMatches() {
    try (TestWorkflowEnvironment env = env()) {
      WorkflowClient client = env.getWorkflowClient();
      assertEquals("slept 1h as p1-child-1", run(client, "p1", "default-id"));
      List<HistoryEvent> h = client.fetchHistory("p1");
      assertEquals(List.of("WorkflowExecutionStarted", "WorkflowTaskCompleted", "StartChildWorkflowExecutionInitiated",
          "ChildWorkflowExecutionStarted", "WorkflowTaskCompleted", "ChildWorkflowExecutionCompleted",
          "WorkflowTaskCompleted", "WorkflowExecutionCompleted"),
          h.stream().map(e -> e.event().getClass().getSimpleName()).toList());
      WorkflowReplayer.replayWorkflowExecution(h, ParentImpl.class);
      Event.WorkflowExecutionStarted childStart = (Event.WorkflowExecutionStarted) client.fetchHistory("p1-child-1")
          .getFirst().event();
      assertEquals("p1", childStart.parent().workflowId());
    }
  }

  @Test
  void aChildsFailureReachesTheParentWithItsCause() {
    try (TestWorkflowEnvironment env = env()) {
      assertEquals("p2-child-1 failed: NegativeSleep: cannot sleep -1 hours", run(env.getWorkflowClient(), "p2", "fails"));
    }
  }

  @Test
  void aChildWhoseIdIsRunningFailsToStart() {
    try (TestWorkflowEnvironment env = env()) {
      WorkflowClient client = env.getWorkflowClient();
      WorkflowClient.start(client.newWorkflowStub(Sleeper.class, id("taken-id"))::sleep, 50);
      assertEquals("WorkflowExecutionAlreadyStarted", run(client, "p3", "taken"));
      assertTrue(client.fetchHistory("p3").stream()
          .anyMatch(e -> e.event() instanceof Event.StartChildWorkflowExecutionFailed));
    }
  }

  @Test
  void cancellingTheScopeCancelsTheChildAndWaitsForIt() {
    try (TestWorkflowEnvironment env = env()) {
      WorkflowClient client = env.getWorkflowClient();
      assertEquals("child canceled", run(client, "p4", "cancel"));
      assertEquals(WorkflowExecutionStatus.CANCELED, client.describe("p4-child-1").status());
      List<HistoryEvent> h = client.fetchHistory("p4");
      assertTrue(h.stream().anyMatch(e -> e.event() instanceof Event.RequestCancelExternalWorkflowExecutionInitiated));
      assertTrue(h.stream().anyMatch(e -> e.event() instanceof Event.ChildWorkflowExecutionCanceled),
          "WAIT_CANCELLATION_COMPLETED waits for the child's close: " + h);
    }
  }

  @Test
  void theChildsStubSignalsTheStartedChild() {
    try (TestWorkflowEnvironment env = env()) {
      assertEquals("woken after 100h as p5-child-1", run(env.getWorkflowClient(), "p5", "signal"));
    }
  }

  @Test
  void aTerminatedChildIsReportedToItsParent() {
    try (TestWorkflowEnvironment env = env()) {
      WorkflowClient client = env.getWorkflowClient();
      WorkflowClient.start(client.newWorkflowStub(Parent.class, id("p6"))::run, "terminated");
      env.sleep(Duration.ofMinutes(1));
      client.newUntypedWorkflowStub("to-terminate").terminate("operator says so");
      assertEquals("child terminated", client.newWorkflowStub(Parent.class, "p6").run("ignored"));
      assertTrue(client.fetchHistory("p6").stream().anyMatch(e -> e.event() instanceof Event.ChildWorkflowExecutionTerminated t
          && t.reason().equals("operator says so")));
    }
  }
}
