package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.ReplayResults;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.WorkflowExecutionHistory;
import dev.tempora.testing.WorkflowReplayer;
import dev.tempora.workflow.NonDeterministicWorkflowError;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


/**
 * Versioning on both stacks (issue 11): a getVersion change deployed while runs are in flight
 * (in memory by registering the implementation types again, on the embedded stack by {@link
 * DevServer#deploy}); a deploy whose supported range leaves out the runs' version parks them with
 * {@code UnsupportedVersion} until code that supports it is deployed; the replayer flags what an
 * unversioned change would break.
 */
class VersioningOnBothStacksTest {
  static final ActivityOptions OPTIONS = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build();
  static final Duration BILLING_PERIOD = Duration.ofHours(1);

  @WorkflowInterface
  public interface Billing {
    @WorkflowMethod
    String bill(int amount);
  }

  @ActivityInterface
  public interface Charges {
    int charge(int amount);

    int chargeWithFee(int amount);
  }

  public static class FakeCharges implements Charges {
    @Override
    public int charge(int amount) {
      return amount;
    }

    @Override
    public int chargeWithFee(int amount) {
      return amount + 1;
    }
  }

  /** Before the change. */
  public static class BillingV1 implements Billing {
    private final Charges charges = Workflow.newActivityStub(Charges.class, OPTIONS);

    @Override
    public String bill(int amount) {
      int charged = charges.charge(amount);
      Workflow.sleep(BILLING_PERIOD);
      return "v1 charged " + charged;
    }
  }

  /** The change, versioned; the second getVersion (after the sleep, in a new task) returns the first one's version. */
  public static class BillingV2 implements Billing {
    private final Charges charges = Workflow.newActivityStub(Charges.class, OPTIONS);

    @Override
    public String bill(int amount) {
      int v = Workflow.getVersion("fee", Workflow.DEFAULT_VERSION, 1);
      int charged = v == Workflow.DEFAULT_VERSION ? charges.charge(amount) : charges.chargeWithFee(amount);
      Workflow.sleep(BILLING_PERIOD);
      return "v2 code, version " + Workflow.getVersion("fee", Workflow.DEFAULT_VERSION, 1) + ", charged " + charged;
    }
  }

  /** The same change without getVersion. */
  public static class BillingUnversioned implements Billing {
    private final Charges charges = Workflow.newActivityStub(Charges.class, OPTIONS);

    @Override
    public String bill(int amount) {
      int charged = charges.chargeWithFee(amount);
      Workflow.sleep(BILLING_PERIOD);
      return "unversioned charged " + charged;
    }
  }

  /** The old branch retired too early: only version 1 is supported. */
  public static class BillingV3 implements Billing {
    private final Charges charges = Workflow.newActivityStub(Charges.class, OPTIONS);

    @Override
    public String bill(int amount) {
      Workflow.getVersion("fee", 1, 1);
      int charged = charges.chargeWithFee(amount);
      Workflow.sleep(BILLING_PERIOD);
      return "v3 charged " + charged;
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(worker -> {
      worker.registerWorkflowImplementationTypes(BillingV1.class);
      worker.registerActivitiesImplementations(new FakeCharges());
    });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    env.registerActivitiesImplementations(new FakeCharges());
    deploy(stack, env, BillingV1.class);
    return env;
  }

  /** A deployment of other code: in memory, the types registered again; on the embedded stack, DevServer.deploy. */
  private static void deploy(String stack, TestWorkflowEnvironment env, Class<?> code) {
    if (stack.equals("in-memory")) {
      env.registerWorkflowImplementationTypes(code);
    } else {
      server.deploy(worker -> worker.registerWorkflowImplementationTypes(code));
    }
  }

  private static Billing start(WorkflowClient client, String workflowId) {
    Billing stub = client.newWorkflowStub(Billing.class, WorkflowOptions.newBuilder().setWorkflowId(workflowId).build());
    WorkflowClient.start(stub::bill, 10);
    return stub;
  }

  private static void awaitTimerStarted(WorkflowClient client, String workflowId) {
    await(() -> client.fetchHistory(workflowId).stream().anyMatch(e -> e.event() instanceof Event.TimerStarted),
        workflowId + " reaches its sleep");
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static long versionMarkers(List<HistoryEvent> history) {
    return history.stream().filter(e -> e.event() instanceof Event.MarkerRecorded m
        && m.markerName().equals("Version")).count();
  }

  private static boolean scheduled(List<HistoryEvent> history, String activityType) {
    return history.stream().anyMatch(e -> e.event() instanceof Event.ActivityTaskScheduled s
        && s.activityType().equals(activityType));
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void tenRunsInFlightFinishOnTheOldBranchAndNewRunsTakeTheNewOne(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      List<String> old = new ArrayList<>();
      List<Billing> oldStubs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        old.add(stack + "-old-" + i);
        oldStubs.add(start(client, old.get(i)));
      }
      for (String id : old) {
        awaitTimerStarted(client, id);
      }
      // Before the deploy, as CI would: the unversioned change breaks every run in flight, the versioned one none.
      List<WorkflowExecutionHistory> inFlight = old.stream()
          .map(id -> new WorkflowExecutionHistory(id, client.fetchHistory(id))).toList();
      ReplayResults unversioned = WorkflowReplayer.replayWorkflowExecutions(inFlight, false, BillingUnversioned.class);
      assertEquals(old, unversioned.allErrors().stream().map(ReplayResults.ReplayError::workflowId).toList(),
          unversioned.toString());
      assertInstanceOf(NonDeterministicWorkflowError.class, unversioned.allErrors().getFirst().exception());
      assertFalse(WorkflowReplayer.replayWorkflowExecutions(inFlight, false, BillingV2.class).hadAnyError());

      deploy(stack, env, BillingV2.class);
      List<String> fresh = new ArrayList<>();
      List<Billing> freshStubs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        fresh.add(stack + "-new-" + i);
        freshStubs.add(start(client, fresh.get(i)));
      }
      for (int i = 0; i < 10; i++) {
        assertEquals("v2 code, version -1, charged 10", WorkflowStub.fromTyped(oldStubs.get(i)).getResult(String.class),
            old.get(i) + " finished by the new code on the old branch");
        assertEquals("v2 code, version 1, charged 11", WorkflowStub.fromTyped(freshStubs.get(i)).getResult(String.class),
            fresh.get(i) + " took the new branch");
      }
      for (String id : old) {
        List<HistoryEvent> h = client.fetchHistory(id);
        assertEquals(0, versionMarkers(h), id + ": DEFAULT_VERSION records no marker, not even in a new task");
        assertTrue(scheduled(h, "Charge") && !scheduled(h, "ChargeWithFee"), id);
      }
      List<WorkflowExecutionHistory> closed = new ArrayList<>();
      for (String id : fresh) {
        List<HistoryEvent> h = client.fetchHistory(id);
        assertEquals(1, versionMarkers(h), id + ": one marker for two getVersion calls");
        assertTrue(scheduled(h, "ChargeWithFee") && !scheduled(h, "Charge"), id);
        closed.add(new WorkflowExecutionHistory(id, h));
      }
      for (String id : old) {
        closed.add(new WorkflowExecutionHistory(id, client.fetchHistory(id)));
      }
      WorkflowReplayer.replayWorkflowExecutions(closed, BillingV2.class);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aDeployThatDropsTheRunsVersionParksThemUntilCodeThatSupportsItIsDeployed(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = stack + "-parked";
      Billing stub = start(client, id);
      awaitTimerStarted(client, id);

      deploy(stack, env, BillingV3.class);
      if (stack.equals("in-memory")) {
        env.sleep(BILLING_PERIOD.multipliedBy(2));
      } else {
        // The timer's task fails and parks; its retries would keep the stack busy, so move the clock directly.
        server.advanceClock(BILLING_PERIOD.multipliedBy(2));
      }
      await(() -> client.describe(id).taskFailure() != null, id + " parks");
      String failure = client.describe(id).taskFailure();
      assertTrue(failure.startsWith("UnsupportedVersion: version -1 of change 'fee'"), failure);
      assertTrue(failure.contains("supports 1 to 1"), failure);
      assertEquals("RUNNING", client.describe(id).status().toString());

      deploy(stack, env, BillingV2.class);
      assertEquals("v2 code, version -1, charged 10", WorkflowStub.fromTyped(stub).getResult(String.class));
      assertNull(client.describe(id).taskFailure());
    }
  }
}
