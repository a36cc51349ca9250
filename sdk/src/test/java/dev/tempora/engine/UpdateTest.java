package dev.tempora.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowStub;
import dev.tempora.client.WorkflowUpdateException;
import dev.tempora.client.WorkflowUpdateHandle;
import dev.tempora.client.WorkflowUpdateStage;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.WorkflowReplayer;
import dev.tempora.workflow.UpdateMethod;
import dev.tempora.workflow.UpdateValidatorMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Updates in the engine: failing handlers, sleeping handlers, replay without validators, declaration errors. */
@Timeout(120) // an update that is never answered would make its caller wait for ever
class UpdateTest {

  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    int count(int until);

    @UpdateMethod
    int add(int n);

    @UpdateValidatorMethod(updateName = "add")
    void validateAdd(int n);

    @UpdateMethod(name = "addLater")
    int addAfter(int n, Duration delay);
  }

  public static class CounterImpl implements Counter {
    private int total;

    @Override
    public int count(int until) {
      Workflow.await(() -> total >= until);
      return total;
    }

    @Override
    public int add(int n) {
      if (n == 13) {
        throw ApplicationFailure.newFailure("13 is unlucky", "Unlucky");
      }
      total += n;
      return total;
    }

    @Override
    public void validateAdd(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("only positive numbers: " + n);
      }
    }

    @Override
    public int addAfter(int n, Duration delay) {
      Workflow.sleep(delay);
      total += n;
      return total;
    }
  }

  @WorkflowInterface
  public interface Misdeclared {
    @WorkflowMethod
    void run();

    @UpdateValidatorMethod(updateName = "missing")
    void validateMissing();
  }

  private static List<Event> updateEvents(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::event).filter(e -> e instanceof Event.WorkflowExecutionUpdateAccepted
        || e instanceof Event.WorkflowExecutionUpdateCompleted).toList();
  }

  @Test
  void aHandlersFailureReachesTheCallerAndIsRecordedAsTheUpdatesOutcome() {
    try (TestWorkflowEnvironment env = Envs.env()) {
      env.registerWorkflowImplementationTypes(CounterImpl.class);
      WorkflowClient client = env.getWorkflowClient();
      Counter counter = client.newWorkflowStub(Counter.class, Envs.id("failing-handler"));
      WorkflowClient.start(counter::count, 5);
      Counter bound = client.newWorkflowStub(Counter.class, "failing-handler");
      WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class, () -> bound.add(13));
      assertEquals("Unlucky", ((ApplicationFailure) e.getCause()).getType());
      assertEquals(5, bound.add(5));
      assertEquals(5, WorkflowStub.fromTyped(bound).getResult(Integer.class));
      List<Event> updates = updateEvents(client.fetchHistory("failing-handler"));
      assertEquals(4, updates.size(), updates.toString());
      assertNotNull(((Event.WorkflowExecutionUpdateCompleted) updates.get(1)).failure());
    }
  }

  @Test
  void aHandlerSleepsWhileTheCallerHoldsItsHandleAndTheHistoryReplays() {
    // Cache size 0: every task replays the history from the start, validators not run again.
    try (TestWorkflowEnvironment env = Envs.env(0)) {
      env.registerWorkflowImplementationTypes(CounterImpl.class);
      WorkflowClient client = env.getWorkflowClient();
      Counter counter = client.newWorkflowStub(Counter.class, Envs.id("sleeping-handler"));
      WorkflowClient.start(counter::count, 10);
      WorkflowStub stub = client.newUntypedWorkflowStub("sleeping-handler");
      assertThrows(WorkflowUpdateException.class, () -> stub.update("add", Integer.class, -1));
      WorkflowUpdateHandle<Integer> later = stub.startUpdate("addLater", WorkflowUpdateStage.ACCEPTED, Integer.class, 4,
          Duration.ofDays(3));
      assertEquals(4, later.getResult());
      assertEquals(10, stub.update("add", Integer.class, 6));
      assertEquals(10, stub.getResult(Integer.class));
      List<HistoryEvent> history = client.fetchHistory("sleeping-handler");
      assertTrue(history.stream().anyMatch(e -> e.event() instanceof Event.TimerFired), "the handler slept");
      assertEquals(4, updateEvents(history).size(), "the rejected update is not in history");
      WorkflowReplayer.replayWorkflowExecution(history, CounterImpl.class);
    }
  }

  @Test
  void aValidatorForAnUndeclaredUpdateIsRefusedWhenTheInterfaceIsRead() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkflowInterfaceMetadata.ofInterface(Misdeclared.class));
    assertTrue(e.getMessage().contains("'missing'"), e.getMessage());
  }
}
