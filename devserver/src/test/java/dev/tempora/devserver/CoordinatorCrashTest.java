package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.FailureWorkflows.Chain;
import dev.tempora.devserver.FailureWorkflows.ChainImpl;
import dev.tempora.devserver.FailureWorkflows.CountingSteps;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A coordinator that dies in the middle of a workflow task, on the embedded stack (DynamoDB Local,
 * ElasticMQ, the real handlers): the task's messages stay on the FIFO queue, SQS redelivers them
 * after the visibility timeout, and the next task either decides again (crash before the commit)
 * or finds the batch committed and re-sends its outbox (crash after the commit).
 */
class CoordinatorCrashTest {

  /** Throws once, for the first batch of workflow {@code workflowId} that matches, at one point. */
  static final class CrashOnce implements WorkflowTaskHooks {
    final String workflowId;
    final boolean afterCommit;
    volatile String crashed;

    CrashOnce(String workflowId, boolean afterCommit) {
      this.workflowId = workflowId;
      this.afterCommit = afterCommit;
    }

    void maybeCrash(RunKey run, HistoryBatch batch, boolean after) {
      if (after == afterCommit && crashed == null && run.workflowId().equals(workflowId)
          && batch.events().stream().anyMatch(e -> e.event() instanceof Event.ActivityTaskScheduled)) {
        crashed = "batch " + batch.seq() + (after ? " after" : " before") + " commit";
        throw new RuntimeException("injected coordinator crash: " + crashed);
      }
    }
  }

  static final AtomicReference<CrashOnce> fault = new AtomicReference<>();
  static final CountingSteps steps = new CountingSteps();
  static FailureStack server;

  @BeforeAll
  static void start() {
    WorkflowTaskHooks hooks = new WorkflowTaskHooks() {
      @Override
      public void beforeCommit(RunKey run, HistoryBatch batch) {
        CrashOnce f = fault.get();
        if (f != null) f.maybeCrash(run, batch, false);
      }

      @Override
      public void afterCommit(RunKey run, HistoryBatch batch) {
        CrashOnce f = fault.get();
        if (f != null) f.maybeCrash(run, batch, true);
      }
    };
    // The crashed task's messages come back after the queue's visibility timeout, 3 s here.
    server = new FailureStack(FailureStack.Settings.of(w -> w.registerWorkflowImplementationTypes(ChainImpl.class)
        .registerActivitiesImplementations(steps)).hooks(hooks).workflowVisibility(Duration.ofSeconds(3)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String run(String workflowId, int n) {
    Chain c = server.runtime.client().newWorkflowStub(Chain.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).build());
    return c.run(n);
  }

  /** Dense event ids, and no activity scheduled or completed twice. */
  static void assertNoDuplicates(List<HistoryEvent> h) {
    for (int i = 0; i < h.size(); i++) {
      assertEquals(i + 1, h.get(i).eventId(), "event ids are dense: " + h);
    }
    List<String> activityEvents = h.stream()
        .filter(e -> e.event() instanceof Event.ActivityTaskScheduled || e.event() instanceof Event.ActivityTaskCompleted)
        .map(e -> e.event().describe()).toList();
    assertEquals(activityEvents.size(), activityEvents.stream().distinct().count(), "no activity event twice: " + h);
    assertEquals(1, FailureStack.count(h, Event.WorkflowExecutionCompleted.class), h.toString());
  }

  @Test
  void crashAfterCommitBeforeSendStillDispatchesTheActivityExactlyOnce() {
    String clean = run("after-commit-clean", 3);
    List<String> expected = FailureStack.describe(server.runtime.client().fetchHistory("after-commit-clean"));

    CrashOnce f = new CrashOnce("after-commit-crash", true);
    fault.set(f);
    assertEquals(clean, run("after-commit-crash", 3));
    assertNotNull(f.crashed, "the crash was injected");
    for (int i = 0; i < 3; i++) {
      assertEquals(1, steps.calls("after-commit-crash", i), "activity " + i + " ran exactly once");
    }
    List<HistoryEvent> h = server.runtime.client().fetchHistory("after-commit-crash");
    assertEquals(expected, FailureStack.describe(h));
    assertNoDuplicates(h);
  }

  @Test
  void crashBeforeCommitDecidesAgainWithoutDuplicates() {
    String clean = run("before-commit-clean", 3);
    List<String> expected = FailureStack.describe(server.runtime.client().fetchHistory("before-commit-clean"));

    CrashOnce f = new CrashOnce("before-commit-crash", false);
    fault.set(f);
    assertEquals(clean, run("before-commit-crash", 3));
    assertNotNull(f.crashed, "the crash was injected");
    for (int i = 0; i < 3; i++) {
      assertEquals(1, steps.calls("before-commit-crash", i), "activity " + i + " ran exactly once");
    }
    List<HistoryEvent> h = server.runtime.client().fetchHistory("before-commit-crash");
    assertEquals(expected, FailureStack.describe(h));
    assertNoDuplicates(h);
  }
}
