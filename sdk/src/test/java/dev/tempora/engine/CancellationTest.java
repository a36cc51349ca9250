package dev.tempora.engine;

import static dev.tempora.engine.Envs.env;
import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowStub;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.*;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CancellationTest {

  @ActivityInterface
  public interface Work {
    String longRunning();

    void cleanup(String what);
  }

  public static class WorkImpl implements Work {
    final AtomicBoolean sawCancellation = new AtomicBoolean();
    final List<String> cleaned = new CopyOnWriteArrayList<>();

    @Override
    public String longRunning() {
      for (int i = 0; i < 500; i++) {
        try {
          Activity.getExecutionContext().heartbeat(i);
        } catch (CanceledFailure e) {
          sawCancellation.set(true);
          throw e;
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      return "finished";
    }

    @Override
    public void cleanup(String what) {
      cleaned.add(what);
    }
  }

  @WorkflowInterface
  public interface Cancellable {
    @WorkflowMethod
    String run();

    @SignalMethod
    void stopActivity();
  }

  public static class CancellableImpl implements Cancellable {
    private final Work work = Workflow.newActivityStub(Work.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30)).setHeartbeatTimeout(Duration.ofSeconds(5)).build());
    private CancellationScope scope;

    @Override
    public String run() {
      Promise<String>[] result = new Promise[1];
      scope = Workflow.newCancellationScope(() -> result[0] = Async.function(work::longRunning));
      scope.run();
      try {
        return result[0].get();
      } catch (ActivityFailure e) {
        return "activity " + (e.getCause() instanceof CanceledFailure ? "canceled" : "failed");
      }
    }

    @Override
    public void stopActivity() {
      scope.cancel();
    }
  }

  @WorkflowInterface
  public interface Sleeper {
    @WorkflowMethod
    String sleepLong();
  }

  public static class SleeperImpl implements Sleeper {
    private final Work work = Workflow.newActivityStub(Work.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());

    @Override
    public String sleepLong() {
      try {
        Workflow.sleep(Duration.ofDays(10));
        return "woke";
      } catch (CanceledFailure e) {
        // cleanup must survive the cancellation: a detached scope
        Workflow.newDetachedCancellationScope(() -> work.cleanup("after cancel")).run();
        throw e;
      }
    }
  }

  @Test
  void cancellingAScopeCancelsItsActivityThroughTheHeartbeat() {
    try (TestWorkflowEnvironment env = env()) {
      WorkImpl impl = new WorkImpl();
      env.registerWorkflowImplementationTypes(CancellableImpl.class);
      env.registerActivitiesImplementations(impl);
      Cancellable wf = env.getWorkflowClient().newWorkflowStub(Cancellable.class, id("c1"));
      dev.tempora.client.WorkflowClient.start(wf::run);
      wf.stopActivity();
      assertEquals("activity canceled", WorkflowStub.fromTyped(wf).getResult(String.class));
      env.awaitIdle();
      assertTrue(impl.sawCancellation.get(), "the running activity learnt of the cancellation at a heartbeat");
      List<String> events = env.getWorkflowClient().fetchHistory("c1").stream().map(e -> e.event().describe()).toList();
      assertTrue(events.contains("ActivityTaskCancelRequested #1"), events.toString());
    }
  }

  @Test
  void workflowCancelRequestCancelsTimersAndDetachedCleanupStillRuns() {
    try (TestWorkflowEnvironment env = env()) {
      WorkImpl impl = new WorkImpl();
      env.registerWorkflowImplementationTypes(SleeperImpl.class);
      env.registerActivitiesImplementations(impl);
      Sleeper wf = env.getWorkflowClient().newWorkflowStub(Sleeper.class, id("s1"));
      dev.tempora.client.WorkflowClient.start(wf::sleepLong);
      WorkflowStub.fromTyped(wf).cancel();
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
          () -> WorkflowStub.fromTyped(wf).getResult(String.class));
      assertEquals(WorkflowExecutionStatus.CANCELED, e.getStatus());
      assertInstanceOf(CanceledFailure.class, e.getCause());
      assertEquals(List.of("after cancel"), impl.cleaned);
      assertEquals(List.of(
          "WorkflowExecutionStarted Sleeper []",
          "WorkflowTaskCompleted",
          "TimerStarted #1 PT240H",
          "WorkflowCancelRequested requested by client",
          "WorkflowTaskCompleted",
          "TimerCanceled #1",
          "ActivityTaskScheduled Cleanup#2",
          "ActivityTaskCompleted #2 attempt 1 null",
          "WorkflowTaskCompleted",
          "WorkflowExecutionCanceled"),
          env.getWorkflowClient().fetchHistory("s1").stream().map(HistoryEvent::event).map(ev -> ev.describe()).toList());
      assertEquals(WorkflowExecutionStatus.CANCELED, env.getWorkflowClient().describe("s1").status());
    }
  }
}
