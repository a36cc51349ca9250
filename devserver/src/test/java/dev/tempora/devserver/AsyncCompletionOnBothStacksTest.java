package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityExecutionContext;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.ActivityCompletionClient;
import dev.tempora.client.ActivityCompletionFailureException;
import dev.tempora.client.ActivityNotExistsException;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.TimeoutFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Async activity completion (issue 13) on both stacks: an activity that returns without a result
 * ({@code doNotCompleteOnReturn}) is completed by a separate "approval service" thread through the
 * {@link ActivityCompletionClient} two virtual days later; a forged token and the token of an
 * earlier attempt are refused with named errors and record nothing; and the heartbeat timeout fires
 * while nobody completes (heartbeats through the completion client move it). Deadlines here are
 * over 15 minutes, so on the embedded stack they are Scheduler timers its clock can skip to.
 */
class AsyncCompletionOnBothStacksTest {
  /** Task tokens the activity handed out, by workflow id and attempt ("id/1"). */
  static final Map<String, byte[]> TOKENS = new ConcurrentHashMap<>();

  @ActivityInterface
  public interface Approvals {
    String requestApproval(String request);
  }

  public static class ApprovalsImpl implements Approvals {
    @Override
    public String requestApproval(String request) {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      TOKENS.put(ctx.getInfo().workflowId() + "/" + ctx.getInfo().attempt(), ctx.getTaskToken());
      ctx.doNotCompleteOnReturn();
      return "ignored: the approval service completes it";
    }
  }

  @WorkflowInterface
  public interface Expense {
    /** Asks for approval; {@code heartbeatMinutes} 0 means no heartbeat timeout. */
    @WorkflowMethod
    String approve(String request, int heartbeatMinutes, int maxAttempts);
  }

  public static class ExpenseImpl implements Expense {
    @Override
    public String approve(String request, int heartbeatMinutes, int maxAttempts) {
      ActivityOptions.Builder o = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofDays(7))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
              .setMaximumAttempts(maxAttempts).build());
      if (heartbeatMinutes > 0) {
        o.setHeartbeatTimeout(Duration.ofMinutes(heartbeatMinutes));
      }
      try {
        return Workflow.newActivityStub(Approvals.class, o.build()).requestApproval(request);
      } catch (ActivityFailure e) {
        if (e.getCause() instanceof TimeoutFailure t) {
          return "not approved: " + t.getTimeoutType() + " timeout, attempt " + e.getAttempt();
        }
        ApplicationFailure f = (ApplicationFailure) e.getCause();
        return "not approved: " + f.getType() + " " + f.getOriginalMessage() + (f.isNonRetryable() ? " (final)" : "")
            + ", attempt " + e.getAttempt();
      }
    }
  }

  public static class Setup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(ExpenseImpl.class);
      worker.registerActivitiesImplementations(new ApprovalsImpl());
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

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    env.registerWorkflowImplementationTypes(ExpenseImpl.class);
    env.registerActivitiesImplementations(new ApprovalsImpl());
    return env;
  }

  static byte[] awaitToken(String key) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!TOKENS.containsKey(key)) {
      assertTrue(System.nanoTime() < deadline, "the activity handed out no token for " + key);
      Thread.sleep(20);
    }
    return TOKENS.get(key);
  }

  private static List<Event> activityOutcomes(WorkflowClient client, String id) {
    return client.fetchHistory(id).stream().map(HistoryEvent::event)
        .filter(e -> e instanceof Event.ActivityTaskCompleted || e instanceof Event.ActivityTaskFailed
            || e instanceof Event.ActivityTaskTimedOut || e instanceof Event.ActivityTaskCanceled)
        .toList();
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void anApprovalServiceCompletesTheActivityTwoVirtualDaysLaterAndAForgedTokenIsRefused(String stack) throws Exception {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "expense-approved-" + stack;
      Expense expense = client.newWorkflowStub(Expense.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
      Instant started = env.currentTime();
      WorkflowClient.start(expense::approve, "laptop 1200 EUR", 0, 1);
      byte[] token = awaitToken(id + "/1");
      ActivityCompletionClient completion = client.newActivityCompletionClient();

      // Forged: one character of the signed payload changed; nothing is recorded.
      byte[] forged = token.clone();
      int at = "tt1.".length() + 5;
      forged[at] = (byte) (forged[at] == 'A' ? 'B' : 'A');
      ActivityCompletionFailureException refused = assertThrows(ActivityCompletionFailureException.class,
          () -> completion.complete(forged, "approved by mallory"));
      assertEquals("InvalidTaskToken", refused.getReason());
      assertThrows(ActivityCompletionFailureException.class,
          () -> completion.complete("tt1.e30.AAAA".getBytes(StandardCharsets.US_ASCII), "approved by mallory"));
      assertEquals(List.of(), activityOutcomes(client, id));

      AtomicReference<Instant> approvedAt = new AtomicReference<>();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread approvalService = new Thread(() -> {
        try {
          env.sleep(Duration.ofDays(2));
          approvedAt.set(env.currentTime());
          completion.complete(token, "approved by alice");
        } catch (Throwable t) {
          failed.set(t);
        }
      }, "approval-service");
      approvalService.start();
      approvalService.join();
      assertNull(failed.get(), () -> "the approval service failed: " + failed.get());

      assertEquals("approved by alice", WorkflowStub.fromTyped(expense).getResult(Duration.ofSeconds(60), String.class));
      assertFalse(approvedAt.get().isBefore(started.plus(Duration.ofDays(2))), approvedAt.get().toString());
      List<Event> outcomes = activityOutcomes(client, id);
      assertEquals(1, outcomes.size(), outcomes.toString());
      Event.ActivityTaskCompleted done = (Event.ActivityTaskCompleted) outcomes.get(0);
      assertEquals(1, done.attempt());
      // The same token again: the attempt is closed (and so is the run).
      ActivityNotExistsException again = assertThrows(ActivityNotExistsException.class,
          () -> completion.complete(token, "approved twice"));
      assertEquals("ActivityNotExists", again.getReason());
      assertEquals(1, activityOutcomes(client, id).size());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void theHeartbeatTimeoutFiresWhileNobodyCompletesAndAnEarlierAttemptsTokenIsRefused(String stack) throws Exception {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "expense-silent-" + stack;
      Expense expense = client.newWorkflowStub(Expense.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
      WorkflowClient.start(expense::approve, "monitor 300 EUR", 60, 2);
      byte[] first = awaitToken(id + "/1");
      ActivityCompletionClient completion = client.newActivityCompletionClient();

      // Nobody heartbeats attempt 1: its heartbeat timeout (1 h) fires and attempt 2 starts.
      env.sleep(Duration.ofMinutes(61));
      byte[] second = awaitToken(id + "/2");
      ActivityNotExistsException stale = assertThrows(ActivityNotExistsException.class,
          () -> completion.complete(first, "approved on the first request"));
      assertTrue(stale.getMessage().contains("attempt 1"), stale.getMessage());
      assertThrows(ActivityNotExistsException.class, () -> completion.heartbeat(first, "still looking"));
      assertEquals(List.of(), activityOutcomes(client, id), "nothing recorded by the refused completion");

      // A heartbeat through the completion client moves attempt 2's deadline: 40 + 40 minutes pass.
      env.sleep(Duration.ofMinutes(40));
      completion.heartbeat(second, "reviewer assigned");
      env.sleep(Duration.ofMinutes(40));
      assertEquals(List.of(), activityOutcomes(client, id), "the heartbeat kept attempt 2 open");
      // The same by ids: the current attempt of activity 1 of the current run.
      completion.heartbeat(id, Optional.empty(), "1", "reviewer still reading");

      // Then silence: the result waits, time skips to the heartbeat deadline, and the last attempt times out.
      assertEquals("not approved: HEARTBEAT timeout, attempt 2",
          WorkflowStub.fromTyped(expense).getResult(Duration.ofSeconds(60), String.class));
      List<Event> outcomes = activityOutcomes(client, id);
      assertEquals(1, outcomes.size(), outcomes.toString());
      assertEquals(2, ((Event.ActivityTaskTimedOut) outcomes.get(0)).attempt());
      assertThrows(ActivityNotExistsException.class, () -> completion.complete(second, "too late"));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void theStartToCloseTimeoutFiresWhileTheTokenIsHeld(String stack) throws Exception {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = "expense-forgotten-" + stack;
      Expense expense = client.newWorkflowStub(Expense.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
      Instant started = env.currentTime();
      WorkflowClient.start(expense::approve, "desk 400 EUR", 0, 1);
      byte[] token = awaitToken(id + "/1");
      env.sleep(Duration.ofDays(6));
      assertEquals(List.of(), activityOutcomes(client, id), "still open after 6 of its 7 days");
      // Nobody completes: the result waits and time skips to the 7-day start-to-close deadline.
      assertEquals("not approved: START_TO_CLOSE timeout, attempt 1",
          WorkflowStub.fromTyped(expense).getResult(Duration.ofSeconds(60), String.class));
      assertFalse(env.currentTime().isBefore(started.plus(Duration.ofDays(7))), env.currentTime().toString());
      assertThrows(ActivityNotExistsException.class,
          () -> client.newActivityCompletionClient().complete(token, "approved a week late"));
    }
  }
}
