package dev.tempora.engine;

import static dev.tempora.engine.Envs.env;
import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ActivityRetryAndTimeoutTest {

  @ActivityInterface
  public interface Flaky {
    String work(String mode);
  }

  /** Behaviour chosen by the argument, counting attempts. */
  public static class FlakyImpl implements Flaky {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String work(String mode) {
      int attempt = Activity.getExecutionContext().getInfo().attempt();
      calls.incrementAndGet();
      switch (mode) {
        case "fail-twice" -> {
          if (attempt < 3) {
            throw new IllegalStateException("boom " + attempt);
          }
          return "ok after " + attempt;
        }
        case "non-retryable" -> throw ApplicationFailure.newNonRetryableFailure("bad input", "BadInput", 42);
        case "do-not-retry-type" -> throw new IllegalArgumentException("never retried");
        case "always-fail" -> throw new IllegalStateException("always");
        case "slow" -> {
          sleep(1_000);
          return "late";
        }
        case "heartbeat-then-stall" -> {
          Integer last = Activity.getExecutionContext().getHeartbeatDetails(Integer.class).orElse(0);
          if (attempt == 1) {
            Activity.getExecutionContext().heartbeat(last + 5);
            sleep(1_000); // no heartbeat: heartbeat timeout
            return "unreachable";
          }
          return "resumed from " + last;
        }
        default -> throw new IllegalArgumentException(mode);
      }
    }

    private static void sleep(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @WorkflowInterface
  public interface Caller {
    @WorkflowMethod
    String call(String mode);
  }

  public static class CallerImpl implements Caller {
    @Override
    public String call(String mode) {
      ActivityOptions.Builder o = ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMillis(mode.equals("slow") ? 150 : 10_000))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
              .setMaximumAttempts(mode.equals("always-fail") || mode.equals("slow") ? 2 : 5)
              .setDoNotRetry(IllegalArgumentException.class.getName()).build());
      if (mode.equals("heartbeat-then-stall")) {
        o.setHeartbeatTimeout(Duration.ofMillis(150));
      }
      if (mode.equals("schedule-to-close")) {
        o.setScheduleToCloseTimeout(Duration.ofSeconds(10))
            .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(4)).build());
        mode = "always-fail";
      }
      Flaky f = Workflow.newActivityStub(Flaky.class, o.build());
      try {
        return f.work(mode);
      } catch (ActivityFailure e) {
        return switch (e.getCause()) {
          case ApplicationFailure a -> "failed " + a.getType() + " nonRetryable=" + a.isNonRetryable() + " attempt="
              + e.getAttempt() + (a.getType().equals("BadInput") ? " detail=" + a.getDetail(0, Integer.class) : "");
          case TimeoutFailure t -> "timeout " + t.getTimeoutType() + " attempt=" + e.getAttempt();
          default -> "other " + e.getCause();
        };
      }
    }
  }

  private String run(TestWorkflowEnvironment env, FlakyImpl impl, String mode) {
    env.registerWorkflowImplementationTypes(CallerImpl.class);
    env.registerActivitiesImplementations(impl);
    return env.getWorkflowClient().newWorkflowStub(Caller.class, id("w-" + mode)).call(mode);
  }

  private static List<String> outcomes(WorkflowClient client, String workflowId) {
    return client.fetchHistory(workflowId).stream().map(HistoryEvent::event)
        .filter(e -> e instanceof Event.ActivityTaskCompleted || e instanceof Event.ActivityTaskFailed
            || e instanceof Event.ActivityTaskTimedOut)
        .map(Event::describe).toList();
  }

  @Test
  void retriesAtTheWorkerWithBackoffAndRecordsOnlyTheOutcome() {
    try (TestWorkflowEnvironment env = env()) {
      FlakyImpl impl = new FlakyImpl();
      assertEquals("ok after 3", run(env, impl, "fail-twice"));
      assertEquals(3, impl.calls.get());
      assertEquals(List.of("ActivityTaskCompleted #1 attempt 3 \"ok after 3\""), outcomes(env.getWorkflowClient(), "w-fail-twice"));
      // backoff 1 s then 2 s, in virtual time
      assertEquals(Envs.T0.plusSeconds(3), env.currentTime());
    }
  }

  @Test
  void nonRetryableFailureIsNotRetriedAndKeepsItsDetails() {
    try (TestWorkflowEnvironment env = env()) {
      FlakyImpl impl = new FlakyImpl();
      assertEquals("failed BadInput nonRetryable=true attempt=1 detail=42", run(env, impl, "non-retryable"));
      assertEquals(1, impl.calls.get());
    }
  }

  @Test
  void doNotRetryTypesStopRetries() {
    try (TestWorkflowEnvironment env = env()) {
      FlakyImpl impl = new FlakyImpl();
      assertEquals("failed java.lang.IllegalArgumentException nonRetryable=false attempt=1", run(env, impl, "do-not-retry-type"));
      assertEquals(1, impl.calls.get());
    }
  }

  @Test
  void maximumAttemptsEndsWithTheLastFailure() {
    try (TestWorkflowEnvironment env = env()) {
      FlakyImpl impl = new FlakyImpl();
      assertEquals("failed java.lang.IllegalStateException nonRetryable=false attempt=2", run(env, impl, "always-fail"));
      assertEquals(2, impl.calls.get());
    }
  }

  @Test
  void startToCloseTimeoutPerAttempt() {
    try (TestWorkflowEnvironment env = env()) {
      FlakyImpl impl = new FlakyImpl();
      assertEquals("timeout START_TO_CLOSE attempt=2", run(env, impl, "slow"));
      assertEquals(2, impl.calls.get());
    }
  }

  @Test
  void heartbeatTimeoutRetriesWithTheLastHeartbeatDetails() {
    try (TestWorkflowEnvironment env = env()) {
      FlakyImpl impl = new FlakyImpl();
      assertEquals("resumed from 5", run(env, impl, "heartbeat-then-stall"));
      assertEquals(2, impl.calls.get());
    }
  }

  @Test
  void scheduleToCloseTimeoutBoundsAllAttempts() {
    try (TestWorkflowEnvironment env = env()) {
      FlakyImpl impl = new FlakyImpl();
      String result = run(env, impl, "schedule-to-close");
      // attempts at 0 s and 4 s; the next (at 12 s) would pass the 10 s deadline, so the worker
      // reports the timeout at once instead of waiting for the coordinator's deadline timer
      assertEquals("timeout SCHEDULE_TO_CLOSE attempt=2", result);
      assertEquals(2, impl.calls.get());
      assertEquals(Envs.T0.plusSeconds(4), env.currentTime());
    }
  }
}
