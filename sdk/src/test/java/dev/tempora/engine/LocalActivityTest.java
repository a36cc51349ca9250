package dev.tempora.engine;

import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.LocalActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.CanceledFailure;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.failure.TimeoutType;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.WorkflowReplayer;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.CancellationScope;
import dev.tempora.workflow.NonDeterministicWorkflowError;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Local activities in the in-memory engine: outcomes, timeouts, the replayer, determinism. */
class LocalActivityTest {
  static final AtomicInteger calls = new AtomicInteger();

  @ActivityInterface
  public interface Work {
    String echo(String s);

    String fail(String type);

    String sleep(int millis);
  }

  public static class WorkImpl implements Work {
    @Override
    public String echo(String s) {
      calls.incrementAndGet();
      return s;
    }

    @Override
    public String fail(String type) {
      calls.incrementAndGet();
      throw ApplicationFailure.newFailure("failed", type);
    }

    @Override
    public String sleep(int millis) {
      calls.incrementAndGet();
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "slept";
    }
  }

  @WorkflowInterface
  public interface Flow {
    @WorkflowMethod
    String run(String mode);
  }

  /** Runs the local activities {@code mode} names and returns what they returned or how they failed. */
  public static class FlowImpl implements Flow {
    @Override
    public String run(String mode) {
      LocalActivityOptions.Builder o = LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(20)).setMaximumAttempts(3)
              .setDoNotRetry("Fatal").build());
      try {
        return switch (mode) {
          case "echo" -> {
            Work w = Workflow.newLocalActivityStub(Work.class, o.build());
            yield w.echo("a") + w.echo("b") + w.echo("c");
          }
          case "doNotRetry" -> Workflow.newLocalActivityStub(Work.class, o.build()).fail("Fatal");
          case "startToClose" -> Workflow.newLocalActivityStub(Work.class, o.setStartToCloseTimeout(Duration.ofMillis(100))
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build()).sleep(2000);
          case "scheduleToClose" -> Workflow.newLocalActivityStub(Work.class, LocalActivityOptions.newBuilder()
              .setScheduleToCloseTimeout(Duration.ofMillis(300))
              .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(50)).setBackoffCoefficient(1)
                  .build()).build()).fail("Flaky");
          case "slow" -> Workflow.newLocalActivityStub(Work.class, o.build()).sleep(600);
          case "cancelDuringBackoff" -> {
            Work slowRetry = Workflow.newLocalActivityStub(Work.class, o.setRetryOptions(RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofMinutes(30)).build()).build());
            @SuppressWarnings("unchecked")
            Promise<String>[] p = new Promise[1];
            CancellationScope scope = Workflow.newCancellationScope(() -> p[0] = Async.function(slowRetry::fail, "Flaky"));
            scope.run();
            Workflow.sleep(Duration.ofMinutes(1));
            scope.cancel();
            try {
              yield p[0].get();
            } catch (ActivityFailure e) {
              yield "canceled " + (e.getCause() instanceof CanceledFailure) + " attempt " + e.getAttempt();
            }
          }
          default -> throw new IllegalArgumentException(mode);
        };
      } catch (ActivityFailure e) {
        String cause = e.getCause() instanceof TimeoutFailure t ? t.getTimeoutType().name()
            : ((ApplicationFailure) e.getCause()).getType();
        return "failed " + cause + " attempt " + e.getAttempt();
      }
    }
  }

  /** The same workflow type with ordinary activities: what a history of local activities is not. */
  public static class OrdinaryFlowImpl implements Flow {
    @Override
    public String run(String mode) {
      Work w = Workflow.newActivityStub(Work.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5)).build());
      return w.echo("a") + w.echo("b") + w.echo("c");
    }
  }

  private static String run(TestWorkflowEnvironment env, String workflowId, String mode) {
    env.registerWorkflowImplementationTypes(FlowImpl.class);
    env.registerActivitiesImplementations(new WorkImpl());
    return env.getWorkflowClient().newWorkflowStub(Flow.class, id(workflowId)).run(mode);
  }

  @Test
  void theReplayerReadsTheMarkersAndRunsNothing() {
    try (TestWorkflowEnvironment env = Envs.env()) {
      assertEquals("abc", run(env, "echo", "echo"));
      List<HistoryEvent> history = env.getWorkflowClient().fetchHistory("echo");
      assertEquals(3, history.stream().filter(e -> e.event() instanceof Event.MarkerRecorded).count(), history.toString());
      int before = calls.get();
      WorkflowReplayer.replayWorkflowExecution(history, FlowImpl.class);
      assertEquals(before, calls.get(), "replay ran no activity");
      NonDeterministicWorkflowError e = assertThrows(NonDeterministicWorkflowError.class,
          () -> WorkflowReplayer.replayWorkflowExecution(history, OrdinaryFlowImpl.class));
      assertTrue(e.getMessage().contains("marker LocalActivity#1"), e.getMessage());
    }
  }

  @Test
  void aDoNotRetryTypeFailsAtTheFirstAttempt() {
    try (TestWorkflowEnvironment env = Envs.env()) {
      int before = calls.get();
      assertEquals("failed Fatal attempt 1", run(env, "fatal", "doNotRetry"));
      assertEquals(before + 1, calls.get());
    }
  }

  @Test
  void anAttemptPastItsStartToCloseTimeoutTimesOut() {
    try (TestWorkflowEnvironment env = Envs.env()) {
      assertEquals("failed START_TO_CLOSE attempt 1", run(env, "stc", "startToClose"));
    }
  }

  @Test
  void retriesStopAtTheScheduleToCloseTimeout() {
    try (TestWorkflowEnvironment env = Envs.env()) {
      String result = run(env, "s2c", "scheduleToClose");
      assertTrue(result.startsWith("failed SCHEDULE_TO_CLOSE attempt "), result);
    }
  }

  /** A local activity holds its thread's turn for as long as it runs: that is not a deadlock. */
  @Test
  void aLocalActivityLongerThanTheDeadlockTimeoutIsNotADeadlock() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setStartTime(Envs.T0).setDeadlockTimeout(Duration.ofMillis(200)).build())) {
      env.registerWorkflowImplementationTypes(FlowImpl.class);
      env.registerActivitiesImplementations(new WorkImpl());
      // A deadlock would park the run and retry it for ever: the run timeout ends that (time skips while it waits).
      assertEquals("slept", env.getWorkflowClient().newWorkflowStub(Flow.class, WorkflowOptions.newBuilder()
          .setWorkflowId("slow").setWorkflowRunTimeout(Duration.ofMinutes(1)).build()).run("slow"));
    }
  }

  /** A local activity waiting on its long backoff's timer is cancelled with its scope, as an ordinary activity is. */
  @Test
  void cancellingDuringALongBackoffFailsTheCallWithCanceled() {
    try (TestWorkflowEnvironment env = Envs.env()) {
      int before = calls.get();
      assertEquals("canceled true attempt 1", run(env, "cancel-backoff", "cancelDuringBackoff"));
      assertEquals(before + 1, calls.get(), "no attempt after the cancelled timer");
    }
  }
}
