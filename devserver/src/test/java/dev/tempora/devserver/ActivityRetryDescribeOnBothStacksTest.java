package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15: describe of an activity that waits for its retry shows its attempt, the last attempt's
 * failure with its cause chain and when the next attempt is due, over the client on both stacks
 * and over the HTTP API on the embedded stack (the in-memory HTTP API: ActivityProgressHttpTest).
 */
class ActivityRetryDescribeOnBothStacksTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ActivityInterface
  public interface Flaky {
    String call(String input);
  }

  public static class FlakyImpl implements Flaky {
    @Override
    public String call(String input) {
      throw new IllegalStateException("backend unavailable for " + input, new java.io.IOException("connection refused"));
    }
  }

  @WorkflowInterface
  public interface Caller {
    @WorkflowMethod
    String run(String input);
  }

  public static class CallerImpl implements Caller {
    @Override
    public String run(String input) {
      // The second attempt waits an hour: describe sees the activity between attempts 1 and 2.
      return Workflow.newActivityStub(Flaky.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofHours(1)).build()).build())
          .call(input);
    }
  }

  public static class Setup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(CallerImpl.class);
      worker.registerActivitiesImplementations(new FlakyImpl());
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(new Setup());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aRetryingActivityShowsItsAttemptLastFailureAndNextAttempt(String stack) throws Exception {
    try (TestWorkflowEnvironment env = BothStacks.environment(stack, server)) {
      env.registerWorkflowImplementationTypes(CallerImpl.class);
      env.registerActivitiesImplementations(new FlakyImpl());
      WorkflowClient client = env.getWorkflowClient();
      String id = "retry-describe-" + stack;
      WorkflowClient.start(client.newWorkflowStub(Caller.class, WorkflowOptions.newBuilder().setWorkflowId(id)
          .setTaskQueue("default").build())::run, "order-7");
      WorkflowDescription.PendingActivity a = await(() -> {
        var pending = client.describe(id).pendingActivities();
        return pending.isEmpty() || pending.getFirst().getLastFailure() == null ? null : pending.getFirst();
      });
      assertEquals(2, a.getAttempt());
      WorkflowDescription.Failure f = a.getLastFailure();
      assertEquals("backend unavailable for order-7", f.message());
      assertEquals("java.lang.IllegalStateException", f.type());
      assertNotNull(f.cause(), "the cause chain is kept");
      assertEquals("connection refused", f.cause().message());
      assertNotNull(a.getNextAttemptScheduleTime());
      assertTrue(a.getNextAttemptScheduleTime().isAfter(a.scheduledTime().plus(Duration.ofMinutes(59))),
          a.getNextAttemptScheduleTime() + " vs " + a.scheduledTime());
      if (stack.equals("embedded-aws")) {
        HttpResponse<String> r = LocalHttp.send(server, "GET", "/workflows/" + id, null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode activity = JSON.readTree(r.body()).path("pendingActivities").path(0);
        assertEquals(2, activity.path("attempt").asInt(), r.body());
        assertEquals("backend unavailable for order-7", activity.path("lastFailure").path("message").asText(), r.body());
        assertEquals("connection refused", activity.path("lastFailure").path("cause").path("message").asText());
        assertTrue(activity.hasNonNull("nextAttemptScheduleTime"), r.body());
        assertFalse(r.body().contains("stackTrace") || r.body().contains("\tat "), "no stack traces: " + r.body());
      }
      client.newUntypedWorkflowStub(id).terminate("test done");
    }
  }

  static <T> T await(Supplier<T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not reached in 60 s");
  }
}
