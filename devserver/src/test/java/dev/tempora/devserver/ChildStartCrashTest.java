package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.workflow.ChildWorkflowOptions;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A child's start is exactly-once on the embedded AWS stack: a coordinator that dies between the
 * parent's commit and the child's start (the hook after the commit), and one whose whole task is
 * redelivered after it started the child (the handler fails after the task), start the child once.
 * The second case needs the start to be idempotent by the child's run id: by the time the task
 * comes back, the child has completed, and its id (reuse policy ALLOW_DUPLICATE) could start again.
 */
class ChildStartCrashTest {

  @WorkflowInterface
  public interface Parent {
    @WorkflowMethod
    String run(String name);
  }

  @WorkflowInterface
  public interface Child {
    @WorkflowMethod
    String greet(String name);
  }

  public static class ParentImpl implements Parent {
    @Override
    public String run(String name) {
      String greeting = Workflow.newChildWorkflowStub(Child.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(Workflow.getInfo().workflowId() + "-child").build()).greet(name);
      // Still open when the redelivered task arrives (after the queue's 3 s visibility timeout).
      Workflow.sleep(Duration.ofSeconds(6));
      return greeting;
    }
  }

  public static class ChildImpl implements Child {
    @Override
    public String greet(String name) {
      return "hello " + name;
    }
  }

  static final AtomicBoolean crashAfterCommit = new AtomicBoolean();
  static final AtomicBoolean failAfterTask = new AtomicBoolean();
  static FailureStack server;

  @BeforeAll
  static void start() {
    WorkflowTaskHooks hooks = new WorkflowTaskHooks() {
      @Override
      public void afterCommit(RunKey run, HistoryBatch batch) {
        if (run.workflowId().equals("crash-after-commit")
            && batch.events().stream().anyMatch(e -> e.event() instanceof Event.StartChildWorkflowExecutionInitiated)
            && crashAfterCommit.compareAndSet(false, true)) {
          throw new RuntimeException("injected coordinator crash after the commit, before the child's start");
        }
      }
    };
    server = new FailureStack(FailureStack.Settings.of(w -> w.registerWorkflowImplementationTypes(ParentImpl.class,
        ChildImpl.class)).hooks(hooks).workflowVisibility(Duration.ofSeconds(3))
        .wrapWorkflowHandler(ChildStartCrashTest::failingAfterTheParentsFirstTask));
  }

  /** The handler runs the task (the child starts), then fails once: SQS redelivers the whole batch. */
  private static RequestHandler<SQSEvent, SQSBatchResponse> failingAfterTheParentsFirstTask(
      RequestHandler<SQSEvent, SQSBatchResponse> handler) {
    return (event, context) -> {
      SQSBatchResponse response = handler.handleRequest(event, context);
      boolean parentsStart = event.getRecords().stream().anyMatch(r -> r.getBody().contains("\"redelivered\"")
          && r.getBody().contains("WorkflowExecutionStarted"));
      if (parentsStart && failAfterTask.compareAndSet(false, true)) {
        throw new RuntimeException("injected coordinator crash after the task, before the queue's delete");
      }
      return response;
    };
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void assertChildStartedOnce(String parentId) {
    String result = server.runtime.client().newWorkflowStub(Parent.class,
        WorkflowOptions.newBuilder().setWorkflowId(parentId).build()).run(parentId);
    assertEquals("hello " + parentId, result);
    long childRuns = server.runtime.client().listExecutions(ListExecutionsRequest.all().withWorkflowType("Child"))
        .stream().filter(e -> e.execution().workflowId().equals(parentId + "-child")).count();
    assertEquals(1, childRuns, "the child started exactly once");
    List<HistoryEvent> h = server.runtime.client().fetchHistory(parentId);
    assertEquals(1, FailureStack.count(h, Event.StartChildWorkflowExecutionInitiated.class), h.toString());
    assertEquals(1, FailureStack.count(h, Event.ChildWorkflowExecutionStarted.class), h.toString());
    assertEquals(1, FailureStack.count(h, Event.ChildWorkflowExecutionCompleted.class), h.toString());
  }

  @Test
  void aCrashBetweenTheParentsCommitAndTheChildsStartStartsTheChildOnce() {
    assertChildStartedOnce("crash-after-commit");
    assertTrue(crashAfterCommit.get(), "the crash was injected");
  }

  @Test
  void aTaskRedeliveredAfterTheChildStartedAndCompletedDoesNotStartItAgain() {
    assertChildStartedOnce("redelivered");
    assertTrue(failAfterTask.get(), "the crash was injected");
  }
}
