package dev.tempora.engine;

import static dev.tempora.engine.Envs.id;
import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Workflow.getVersion with Temporal's rules, and the replayer over many histories. */
class VersioningTest {
  static final ActivityOptions OPTIONS = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build();

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

  static final class FakeCharges implements Charges {
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
      Workflow.sleep(Duration.ofHours(1));
      return "v1 charged " + charged;
    }
  }

  /** The change, versioned; asks for the version a second time after the sleep. */
  public static class BillingV2 implements Billing {
    private final Charges charges = Workflow.newActivityStub(Charges.class, OPTIONS);

    @Override
    public String bill(int amount) {
      int v = Workflow.getVersion("fee", Workflow.DEFAULT_VERSION, 1);
      int charged = v == Workflow.DEFAULT_VERSION ? charges.charge(amount) : charges.chargeWithFee(amount);
      Workflow.sleep(Duration.ofHours(1));
      return "v2 code, version " + Workflow.getVersion("fee", Workflow.DEFAULT_VERSION, 1) + ", charged " + charged;
    }
  }

  /** The same change without getVersion (or with it removed once no old run is left). */
  public static class BillingUnversioned implements Billing {
    private final Charges charges = Workflow.newActivityStub(Charges.class, OPTIONS);

    @Override
    public String bill(int amount) {
      int charged = charges.chargeWithFee(amount);
      Workflow.sleep(Duration.ofHours(1));
      return "unversioned charged " + charged;
    }
  }

  /** The old branch retired: only version 1 is supported. */
  public static class BillingV3 implements Billing {
    private final Charges charges = Workflow.newActivityStub(Charges.class, OPTIONS);

    @Override
    public String bill(int amount) {
      Workflow.getVersion("fee", 1, 1);
      int charged = charges.chargeWithFee(amount);
      Workflow.sleep(Duration.ofHours(1));
      return "v3 charged " + charged;
    }
  }

  private static TestWorkflowEnvironment env(int cacheSize, Class<?> code) {
    TestWorkflowEnvironment env = Envs.env(cacheSize);
    env.registerWorkflowImplementationTypes(code);
    env.registerActivitiesImplementations(new FakeCharges());
    return env;
  }

  private static List<HistoryEvent> historyOf(Class<?> code, String workflowId) {
    try (TestWorkflowEnvironment env = env(600, code)) {
      env.getWorkflowClient().newWorkflowStub(Billing.class, id(workflowId)).bill(10);
      return env.getWorkflowClient().fetchHistory(workflowId);
    }
  }

  private static List<Event.MarkerRecorded> versionMarkers(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::event).filter(e -> e instanceof Event.MarkerRecorded m
        && m.markerName().equals("Version")).map(e -> (Event.MarkerRecorded) e).toList();
  }

  @ParameterizedTest(name = "runner cache {0}")
  @ValueSource(ints = {600, 0})
  void aNewRunRecordsTheMaxSupportedVersionOnceAndReturnsItAgain(int cacheSize) {
    try (TestWorkflowEnvironment env = env(cacheSize, BillingV2.class)) {
      WorkflowClient client = env.getWorkflowClient();
      assertEquals("v2 code, version 1, charged 11", client.newWorkflowStub(Billing.class, id("new")).bill(10));
      List<Event.MarkerRecorded> markers = versionMarkers(client.fetchHistory("new"));
      assertEquals(1, markers.size(), "the second call with the same change id records nothing: " + markers);
      assertEquals("{\"changeId\":\"fee\",\"version\":1}", markers.getFirst().data().json());
    }
  }

  @Test
  void aHistoryWithoutTheMarkerReplaysAsTheDefaultVersionWithoutACommand() {
    List<HistoryEvent> old = historyOf(BillingV1.class, "old");
    assertTrue(versionMarkers(old).isEmpty());
    WorkflowReplayer.replayWorkflowExecution(old, BillingV2.class);
    NonDeterministicWorkflowError e = assertThrows(NonDeterministicWorkflowError.class,
        () -> WorkflowReplayer.replayWorkflowExecution(old, BillingUnversioned.class));
    assertTrue(e.getMessage().contains("history has activity Charge#1 at event 3, code scheduled activity ChargeWithFee#1"), e.getMessage());
  }

  @Test
  void aRecordedMarkerTheCodeNoLongerAsksForIsSkippedAsInTemporal() {
    List<HistoryEvent> versioned = historyOf(BillingV2.class, "versioned");
    assertEquals(1, versionMarkers(versioned).size());
    WorkflowReplayer.replayWorkflowExecution(versioned, BillingUnversioned.class);
    WorkflowReplayer.replayWorkflowExecution(versioned, BillingV3.class);
  }

  @Test
  void aVersionOutsideTheSupportedRangeParksTheRunUntilCodeSupportsIt() {
    try (TestWorkflowEnvironment env = env(600, BillingV1.class)) {
      WorkflowClient client = env.getWorkflowClient();
      Billing stub = client.newWorkflowStub(Billing.class, id("parked"));
      WorkflowClient.start(stub::bill, 10);
      env.registerWorkflowImplementationTypes(BillingV3.class);
      env.sleep(Duration.ofHours(2));
      String failure = client.describe("parked").taskFailure();
      assertNotNull(failure, "the timer's task replays the old history with code that no longer supports it");
      assertTrue(failure.startsWith("UnsupportedVersion: version -1 of change 'fee'"), failure);
      assertTrue(failure.contains("supports 1 to 1"), failure);

      env.registerWorkflowImplementationTypes(BillingV2.class);
      assertEquals("v2 code, version -1, charged 10", client.newWorkflowStub(Billing.class, "parked").bill(0));
      assertNull(client.describe("parked").taskFailure());
      assertTrue(versionMarkers(client.fetchHistory("parked")).isEmpty(),
          "the run follows DEFAULT_VERSION to its end, recording no marker");
    }
  }

  @Test
  void theReplayerReportsEveryHistoryTheCodeBreaks(@TempDir Path dir) throws IOException {
    List<WorkflowExecutionHistory> histories = List.of(
        new WorkflowExecutionHistory("old-1", historyOf(BillingV1.class, "old-1")),
        new WorkflowExecutionHistory("new-1", historyOf(BillingV2.class, "new-1")),
        new WorkflowExecutionHistory("old-2", historyOf(BillingV1.class, "old-2")));

    assertFalse(WorkflowReplayer.replayWorkflowExecutions(histories, false, BillingV2.class).hadAnyError());
    ReplayResults broken = WorkflowReplayer.replayWorkflowExecutions(histories, false, BillingUnversioned.class);
    assertEquals(List.of("old-1", "old-2"),
        broken.allErrors().stream().map(ReplayResults.ReplayError::workflowId).toList(), broken.toString());
    assertInstanceOf(NonDeterministicWorkflowError.class, broken.allErrors().getFirst().exception());
    assertEquals(1, WorkflowReplayer.replayWorkflowExecutions(histories, true, BillingUnversioned.class)
        .allErrors().size(), "fail fast stops at the first");
    ReplayResults retired = WorkflowReplayer.replayWorkflowExecutions(histories, false, BillingV3.class);
    assertEquals(2, retired.allErrors().size(), retired.toString());
    assertTrue(retired.allErrors().getFirst().exception().getMessage().startsWith("UnsupportedVersion: "),
        retired.toString());

    NonDeterministicWorkflowError thrown = assertThrows(NonDeterministicWorkflowError.class,
        () -> WorkflowReplayer.replayWorkflowExecutions(histories, BillingUnversioned.class));
    assertEquals(1, thrown.getSuppressed().length, "the other broken run rides along");

    // A directory of exported histories (tempora --json history), and a file that is not one.
    for (WorkflowExecutionHistory h : histories) {
      Files.writeString(dir.resolve(h.workflowId() + ".json"), h.toJson());
    }
    Files.writeString(dir.resolve("notes.txt"), "not a history, not a .json file");
    WorkflowReplayer.replayWorkflowExecutions(dir, BillingV2.class);
    ReplayResults fromDir = WorkflowReplayer.replayWorkflowExecutions(dir, false, BillingUnversioned.class);
    assertEquals(3, fromDir.replayed());
    assertEquals(List.of("old-1", "old-2"),
        fromDir.allErrors().stream().map(ReplayResults.ReplayError::workflowId).toList(), fromDir.toString());
    Files.writeString(dir.resolve("broken.json"), "{\"no\":");
    ReplayResults withGarbage = WorkflowReplayer.replayWorkflowExecutions(dir, false, BillingV2.class);
    assertEquals(List.of("broken"),
        withGarbage.allErrors().stream().map(ReplayResults.ReplayError::workflowId).toList());
    assertTrue(withGarbage.allErrors().getFirst().exception().getMessage().startsWith("InvalidHistory: "));
  }

  @Test
  void aHistoryOfATypeNoClassImplementsIsReported() {
    ReplayResults r = WorkflowReplayer.replayWorkflowExecutions(
        List.of(new WorkflowExecutionHistory("old", historyOf(BillingV1.class, "old"))), false, DeterminismTest.StepsImpl.class);
    assertTrue(r.allErrors().getFirst().exception().getMessage().startsWith("UnknownWorkflowType: "), r.toString());
  }
}
