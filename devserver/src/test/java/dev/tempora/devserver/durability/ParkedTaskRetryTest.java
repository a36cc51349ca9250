package dev.tempora.devserver.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.devserver.DevServer;
import dev.tempora.devserver.FailureWorkflows.Chain;
import dev.tempora.devserver.FailureWorkflows.ChainImpl;
import dev.tempora.devserver.FailureWorkflows.CountingSteps;
import dev.tempora.devserver.durability.DurabilityTest.BuggyChainImpl;
import dev.tempora.history.Event;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A parked workflow task's retry (its wake-up) on the embedded stack: the chaos suite's lost
 * {@code chaos-etl-retries-47} (an activity scheduled, never sent, nothing saying why). The batch a
 * wake-up makes is dispatched even if its coordinator dies between the commit and the sends, and a
 * run parked a second time is retried by itself as the first time.
 */
class ParkedTaskRetryTest {

  @WorkflowInterface
  public interface Flaky {
    @WorkflowMethod
    String run(int n);
  }

  /** Fails once after each step is done (code that throws, then works): each step's result parks the run once. */
  public static class FlakyImpl implements Flaky {
    static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    @Override
    public String run(int n) {
      StringBuilder out = new StringBuilder();
      String id = Workflow.getInfo().workflowId();
      for (int i = 0; i < n; i++) {
        out.append(DurabilityTest.steps().step(id, i));
        if (FAILED.add(id + "/" + i)) {
          throw new IllegalStateException("flaky: fails once after step " + i);
        }
      }
      return out.toString();
    }
  }

  static final CountingSteps STEPS = new CountingSteps();
  /** The workflow whose next batch that schedules an activity is committed, and then its coordinator dies. */
  static final AtomicReference<String> crashAfterCommit = new AtomicReference<>();
  static final AtomicReference<String> crashed = new AtomicReference<>();
  static DevServer server;
  static WorkflowClient client;

  @BeforeAll
  static void start() {
    WorkflowTaskHooks hooks = new WorkflowTaskHooks() {
      @Override
      public void afterCommit(RunKey run, HistoryBatch batch) {
        String armed = crashAfterCommit.get();
        if (run.workflowId().equals(armed) && batch.events().stream()
            .anyMatch(e -> e.event() instanceof Event.ActivityTaskScheduled)
            && crashAfterCommit.compareAndSet(armed, null)) {
          crashed.set("batch " + batch.seq() + " consuming " + batch.messageIds());
          throw new IllegalStateException("injected: coordinator died after the commit, before the sends");
        }
      }
    };
    server = DevServer.start(w -> w.registerWorkflowImplementationTypes(ChainImpl.class, FlakyImpl.class)
            .registerActivitiesImplementations(STEPS),
        DevServer.Options.defaults().withRedelivery(Duration.ofSeconds(2), 5).withHooks(hooks));
    client = server.client();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aBatchCommittedByAWakeUpIsDispatchedEvenIfItsCoordinatorDiesBeforeTheSends() {
    String id = "wake-crash-1";
    server.deploy(w -> w.registerWorkflowImplementationTypes(BuggyChainImpl.class));
    Chain chain = client.newWorkflowStub(Chain.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
    WorkflowClient.start(chain::run, 2);
    WorkflowStub stub = WorkflowStub.fromTyped(chain);
    DurabilityTest.await("the bug parks the run", () -> stub.describe().taskFailure() != null);

    // The fix is deployed: a wake-up retries the parked task, whose batch schedules step 1; the
    // coordinator dies right after committing it. Only the wake-up's redelivery can send step 1.
    crashAfterCommit.set(id);
    server.deploy(w -> w.registerWorkflowImplementationTypes(ChainImpl.class));
    assertEquals("s0s1", stub.getResult(Duration.ofSeconds(30), String.class));
    assertNotNull(crashed.get(), "the crash was injected");
    assertNull(stub.describe().taskFailure());
    assertEquals(1, STEPS.calls(id, 0));
    assertEquals(1, STEPS.calls(id, 1));
  }

  @Test
  void aRunParkedAgainIsRetriedByItselfAgain() {
    String id = "parked-twice-1";
    Flaky flaky = client.newWorkflowStub(Flaky.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
    WorkflowClient.start(flaky::run, 3);
    // Parked after each step, each time at its first attempt: the retries must not be mistaken
    // for one another.
    assertEquals("s0s1s2", WorkflowStub.fromTyped(flaky).getResult(Duration.ofSeconds(30), String.class));
    assertEquals(Set.of(id + "/0", id + "/1", id + "/2"), Set.copyOf(FlakyImpl.FAILED.stream()
        .filter(k -> k.startsWith(id + "/")).toList()), "it was parked after each step");
  }
}
