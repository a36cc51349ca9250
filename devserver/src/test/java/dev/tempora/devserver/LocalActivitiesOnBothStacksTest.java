package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.LocalActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.replay.LocalActivityMarker;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.WorkflowTaskFaults;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Issue 13, local activities, on both stacks: a workflow of 20 local activities, one retried with
 * short backoffs inside its task and one whose long backoff becomes a timer, while the coordinator
 * crashes after every commit that recorded local activity markers. Each local activity runs
 * exactly once per attempt (the crashed tasks are replayed from the markers, never run again),
 * every outcome is a LocalActivity marker, and no activity task is scheduled or sent: on the
 * embedded stack, no SQS send reaches an activity queue.
 */
class LocalActivitiesOnBothStacksTest {
  private static final int STEPS = 20;

  /** Runs of each local activity call, by workflow id and call ("id/step-3", "id/short", "id/long"). */
  static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  /** The attempt numbers the flaky calls saw, in order. */
  static final Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
  /** Calls that ran outside a local activity thread (an activity worker's): must stay empty. */
  static final Set<String> notLocal = ConcurrentHashMap.newKeySet();
  /** Batches after whose commit the coordinator crashed once ("id/batchSeq"). */
  static final Set<String> crashed = ConcurrentHashMap.newKeySet();
  /** Workflow ids whose tasks crash after committing local activity markers. */
  static final Set<String> crashing = ConcurrentHashMap.newKeySet();
  static final AtomicInteger activityQueueSends = new AtomicInteger();

  @ActivityInterface
  public interface Steps {
    String step(int i);

    /** Fails {@code failures} times (per workflow and name), then returns the attempt that succeeded. */
    String flaky(String name, int failures);

    String alwaysFails();
  }

  public static class StepsImpl implements Steps {
    private static int count(String call) {
      if (!Thread.currentThread().getName().startsWith("local activity")) {
        notLocal.add(call);
      }
      return runs.computeIfAbsent(call, k -> new AtomicInteger()).incrementAndGet();
    }

    private static String workflowId() {
      return Activity.getExecutionContext().getInfo().workflowId();
    }

    @Override
    public String step(int i) {
      count(workflowId() + "/step-" + i);
      return "s" + i;
    }

    @Override
    public String flaky(String name, int failures) {
      int attempt = Activity.getExecutionContext().getInfo().attempt();
      int run = count(workflowId() + "/" + name);
      attempts.computeIfAbsent(workflowId() + "/" + name, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(attempt);
      if (run <= failures) {
        throw ApplicationFailure.newFailure(name + " failed attempt " + attempt, "Flaky");
      }
      return name + "@" + attempt;
    }

    @Override
    public String alwaysFails() {
      count(workflowId() + "/always");
      throw ApplicationFailure.newFailure("always fails", "Broken");
    }
  }

  @WorkflowInterface
  public interface LocalSteps {
    @WorkflowMethod
    String run(int steps);
  }

  public static class LocalStepsImpl implements LocalSteps {
    private final Steps fast = Workflow.newLocalActivityStub(Steps.class, LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(50)).setBackoffCoefficient(2)
            .setMaximumAttempts(5).build())
        .build());
    /** A backoff of 30 minutes: over the 1-minute local retry threshold, so a timer (a Scheduler one on AWS). */
    private final Steps slow = Workflow.newLocalActivityStub(Steps.class, LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setDoNotIncludeArgumentsIntoMarker(true)
        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMinutes(30)).setMaximumAttempts(3)
            .build())
        .build());
    private final Steps once = Workflow.newLocalActivityStub(Steps.class, LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(2).setInitialInterval(Duration.ofMillis(10))
            .build())
        .build());

    @Override
    public String run(int steps) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < steps; i++) {
        out.add(fast.step(i));
        if (i == steps / 2 - 1) {
          // A task boundary: the second half runs in the task the timer brings.
          Workflow.sleep(Duration.ofSeconds(1));
        }
      }
      out.add(fast.flaky("short", 2));
      out.add(slow.flaky("long", 1));
      try {
        once.alwaysFails();
      } catch (ActivityFailure e) {
        out.add("failed:" + ((ApplicationFailure) e.getCause()).getType() + "@" + e.getAttempt());
      }
      return String.join(",", out);
    }
  }

  @WorkflowInterface
  public interface OrdinaryStep {
    @WorkflowMethod
    String run();
  }

  /** The control: one ordinary activity, which does go through the activity queue. */
  public static class OrdinaryStepImpl implements OrdinaryStep {
    @Override
    public String run() {
      return Workflow.newActivityStub(Steps.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10)).build()).step(0);
    }
  }

  /** Counts SQS sends to the stack's activity queues (the queue URL names "activities-"). */
  static final class ActivityQueueSends implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      String url = switch (context.request()) {
        case SendMessageRequest r -> r.queueUrl();
        case SendMessageBatchRequest r -> r.queueUrl();
        default -> null;
      };
      if (url != null && url.contains("activities-")) {
        activityQueueSends.incrementAndGet();
      }
    }
  }

  static DevServer server;

  /** Crashes the coordinator once after each commit of {@code workflowId} that recorded a local activity marker. */
  private static boolean crashAfter(String workflowId, int batchSeq, List<HistoryEvent> events) {
    return crashing.contains(workflowId)
        && events.stream().anyMatch(e -> e.event() instanceof Event.MarkerRecorded m
            && m.markerName().equals("LocalActivity"))
        && crashed.add(workflowId + "/" + batchSeq);
  }

  @BeforeAll
  static void start() {
    WorkflowTaskHooks hooks = new WorkflowTaskHooks() {
      @Override
      public void afterCommit(RunKey run, HistoryBatch batch) {
        if (crashAfter(run.workflowId(), batch.seq(), batch.events())) {
          throw new RuntimeException("injected coordinator crash after committing local activity markers");
        }
      }
    };
    server = DevServer.start(worker -> {
      worker.registerWorkflowImplementationTypes(LocalStepsImpl.class, OrdinaryStepImpl.class);
      worker.registerActivitiesImplementations(new StepsImpl());
    }, DevServer.Options.defaults().withHooks(hooks).withRedelivery(Duration.ofSeconds(3), 10)
        .withInterceptors(List.of(new ActivityQueueSends())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    if (stack.equals("embedded-aws")) {
      return BothStacks.environment(stack, server);
    }
    // In memory the same crashes come from the environment's fault hooks (which see no events: the
    // batches with markers are the first, second and last of this workflow, known from its shape).
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setStartTime(BothStacks.START).setWorkflowTaskFaults(new WorkflowTaskFaults() {
          @Override
          public void afterCommit(String workflowId, int batchSeq, long lastEventId) {
            if (crashing.contains(workflowId) && crashed.add(workflowId + "/" + batchSeq)) {
              throw new RuntimeException("injected coordinator crash after commit");
            }
          }
        }).build());
    env.registerWorkflowImplementationTypes(LocalStepsImpl.class, OrdinaryStepImpl.class);
    env.registerActivitiesImplementations(new StepsImpl());
    return env;
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void twentyLocalActivitiesRunOnceEachAndReplayFromMarkersAfterCrashes(String stack) {
    String id = "local-steps-" + stack;
    crashing.add(id);
    int sendsBefore = activityQueueSends.get();
    try (TestWorkflowEnvironment env = environment(stack)) {
      String result = env.getWorkflowClient().newWorkflowStub(LocalSteps.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).build()).run(STEPS);

      List<String> expected = new ArrayList<>();
      for (int i = 0; i < STEPS; i++) {
        expected.add("s" + i);
      }
      expected.add("short@3");
      expected.add("long@2");
      expected.add("failed:Broken@2");
      assertEquals(String.join(",", expected), result);

      for (int i = 0; i < STEPS; i++) {
        assertEquals(1, runs.get(id + "/step-" + i).get(), "step " + i + " ran once, crashes notwithstanding");
      }
      assertEquals(3, runs.get(id + "/short").get(), "two short backoffs inside the task, then success");
      assertEquals(2, runs.get(id + "/long").get(), "one long backoff (a timer), then success");
      assertEquals(List.of(1, 2, 3), attempts.get(id + "/short"));
      assertEquals(List.of(1, 2), attempts.get(id + "/long"), "the attempt after the timer is the next one");
      assertEquals(2, runs.get(id + "/always").get(), "maximumAttempts 2");
      assertTrue(notLocal.stream().noneMatch(c -> c.startsWith(id + "/")), "every call ran as a local activity: "
          + notLocal);
      assertTrue(crashed.stream().filter(c -> c.startsWith(id + "/")).count() >= 3,
          "the coordinator crashed after the commits with markers: " + crashed);

      List<HistoryEvent> history = env.getWorkflowClient().fetchHistory(id);
      List<Event.MarkerRecorded> markers = history.stream().map(HistoryEvent::event)
          .filter(e -> e instanceof Event.MarkerRecorded m && m.markerName().equals("LocalActivity"))
          .map(e -> (Event.MarkerRecorded) e).toList();
      // 20 steps, one for the short retries, two for the long one (its failure, then its success), one failure.
      assertEquals(STEPS + 1 + 2 + 1, markers.size(), history.toString());
      LocalActivityMarker longFailure = LocalActivityMarker.of(markers.get(STEPS + 1));
      assertEquals(Duration.ofMinutes(30), longFailure.backoff(), longFailure.toString());
      assertEquals(1, longFailure.attempt());
      assertNull(longFailure.input(), "arguments left out on request");
      assertEquals("[0]", LocalActivityMarker.of(markers.get(0)).input().json(), "arguments recorded by default");
      assertEquals(3, LocalActivityMarker.of(markers.get(STEPS)).attempt(), "the short retries share one marker");
      assertEquals(2, history.stream().filter(e -> e.event() instanceof Event.TimerStarted).count(),
          "the 1 s sleep and the 30 min backoff");
      assertEquals(0, history.stream().filter(e -> e.event() instanceof Event.ActivityTaskScheduled).count());
      if (stack.equals("embedded-aws")) {
        assertEquals(sendsBefore, activityQueueSends.get(), "no SQS message to an activity queue");
      }
    }
  }

  /** The checks above can see an activity queue message and an activity worker's thread: an ordinary activity shows both. */
  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void anOrdinaryActivityIsSeenByTheSameChecks(String stack) {
    String id = "ordinary-step-" + stack;
    int sendsBefore = activityQueueSends.get();
    try (TestWorkflowEnvironment env = environment(stack)) {
      assertEquals("s0", env.getWorkflowClient().newWorkflowStub(OrdinaryStep.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).build()).run());
      assertTrue(notLocal.contains(id + "/step-0"), "ran on an activity worker's thread");
      if (stack.equals("embedded-aws")) {
        assertTrue(activityQueueSends.get() > sendsBefore, "the activity task went through an activity queue");
      }
    }
  }
}
