package dev.tempora.engine;

import static dev.tempora.engine.Envs.env;
import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityMethod;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, API shapes: {@code CancellationScope.cancel(reason)} gives the {@code CanceledFailure}
 * of what it cancels the reason as its message (children inherit it), and {@code Workflow.newTimer}
 * is a timer promise a scope can cancel.
 */
class CancellationReasonTest {

  @WorkflowInterface
  public interface Reasons {
    @WorkflowMethod
    List<String> run();
  }

  public static class ReasonsImpl implements Reasons {
    private final List<String> out = new ArrayList<>();

    private void record(Runnable body) {
      try {
        body.run();
        out.add("done");
      } catch (CanceledFailure e) {
        out.add(e.getMessage());
      }
    }

    @Override
    public List<String> run() {
      // A sleep in a child scope, its parent cancelled with a reason.
      List<Promise<Void>> handlers = new ArrayList<>();
      CancellationScope parent = Workflow.newCancellationScope(() -> Workflow.newCancellationScope(
          () -> record(() -> Workflow.sleep(Duration.ofHours(1)))).run());
      handlers.add(Async.procedure(parent::run));
      Workflow.sleep(Duration.ofSeconds(1));
      parent.cancel("parent gave up");
      handlers.get(0).get();

      // An await, its scope cancelled with a reason.
      CancellationScope awaiting = Workflow.newCancellationScope(
          () -> handlers.add(Async.procedure(() -> record(() -> Workflow.await(() -> false)))));
      awaiting.run();
      Workflow.sleep(Duration.ofSeconds(1));
      awaiting.cancel("stop waiting");
      handlers.get(1).get();

      // newTimer, its scope cancelled without a reason, then one made in an already cancelled scope.
      List<Promise<Void>> timers = new ArrayList<>();
      CancellationScope plain = Workflow.newCancellationScope(() -> timers.add(Workflow.newTimer(Duration.ofHours(2))));
      plain.run();
      plain.cancel();
      record(() -> timers.get(0).get());
      CancellationScope late = Workflow.newCancellationScope(() -> timers.add(Workflow.newTimer(Duration.ofHours(3))));
      late.cancel("too late");
      late.run();
      record(() -> timers.get(1).get());
      out.add(String.valueOf(late.getCancellationReason()) + "/" + plain.getCancellationReason());

      // A timer that fires.
      record(() -> Workflow.newTimer(Duration.ofMinutes(5)).get());
      return out;
    }
  }

  @ActivityInterface
  public interface Slow {
    @ActivityMethod
    String work();
  }

  public static class SlowImpl implements Slow {
    @Override
    public String work() {
      return "worked";
    }
  }

  @WorkflowInterface
  public interface ActivityReason {
    @WorkflowMethod
    String run();
  }

  public static class ActivityReasonImpl implements ActivityReason {
    @Override
    public String run() {
      Slow slow = Workflow.newActivityStub(Slow.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
      List<Promise<String>> work = new ArrayList<>();
      CancellationScope scope = Workflow.newCancellationScope(() -> work.add(Async.function(slow::work)));
      scope.run();
      scope.cancel("customer left");
      try {
        return work.get(0).get();
      } catch (ActivityFailure e) {
        return e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
      }
    }
  }

  @Test
  void anActivitysCanceledFailureCarriesTheScopesReason() {
    try (TestWorkflowEnvironment env = env()) {
      env.registerActivitiesImplementations(new SlowImpl());
      env.registerWorkflowImplementationTypes(ActivityReasonImpl.class);
      ActivityReason wf = env.getWorkflowClient().newWorkflowStub(ActivityReason.class, id("activity-reason"));
      assertEquals("CanceledFailure: customer left", wf.run());
    }
  }

  @Test
  void theReasonReachesTheCanceledFailureAndTimersAreCanceledInHistory() {
    try (TestWorkflowEnvironment env = env()) {
      env.registerWorkflowImplementationTypes(ReasonsImpl.class);
      Reasons wf = env.getWorkflowClient().newWorkflowStub(Reasons.class, id("reasons"));
      assertEquals(List.of("parent gave up", "stop waiting", "timer canceled", "too late", "too late/null", "done"),
          wf.run());
      List<Event> h = env.getWorkflowClient().fetchHistory("reasons").stream().map(HistoryEvent::event).toList();
      // Timers: the hour sleep, the two 1-second sleeps, the 2-hour newTimer and the 5-minute one; the
      // 3-hour one was never started (its scope was cancelled first).
      assertEquals(5, h.stream().filter(Event.TimerStarted.class::isInstance).count(), h.toString());
      assertEquals(2, h.stream().filter(Event.TimerCanceled.class::isInstance).count(), h.toString());
      assertEquals(3, h.stream().filter(Event.TimerFired.class::isInstance).count(), h.toString());
    }
  }
}
