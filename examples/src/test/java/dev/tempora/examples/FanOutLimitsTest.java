package dev.tempora.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.examples.fanout.FanOutWorkflow;
import dev.tempora.examples.fanout.FanOutWorkflowImpl;
import dev.tempora.examples.fanout.InMemoryMathActivities;
import dev.tempora.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, finding 1: a fan-out of two billion items passed validation and allocated until the
 * JVM died. Now the limits fail its workflow task at once, with a named reason, before anything
 * is committed, and the engine carries on with other workflows.
 */
class FanOutLimitsTest {

  private static String failedTask(TestWorkflowEnvironment env, String workflowId, int count) {
    WorkflowClient c = env.getWorkflowClient();
    c.newUntypedWorkflowStub("FanOutWorkflow", WorkflowOptions.newBuilder().setWorkflowId(workflowId).build())
        .start(count);
    WorkflowDescription d = c.describe(workflowId);
    assertEquals(WorkflowExecutionStatus.RUNNING, d.status());
    assertEquals(0, d.historyLength(), "nothing was committed");
    assertNotNull(d.taskFailure());
    return d.taskFailure();
  }

  @Test
  void twoBillionItemsFailTheWorkflowTaskAndTheEngineCarriesOn() {
    CallLog log = new CallLog();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      env.registerWorkflowImplementationTypes(FanOutWorkflowImpl.class);
      env.registerActivitiesImplementations(new InMemoryMathActivities(log));
      assertEquals("WorkflowThreadsLimitExceeded: workflow code started 10001 Async threads that have not ended; "
          + "the limit is 10000", failedTask(env, "fanout-2e9", 2_000_000_000));
      assertEquals(0, log.entries().size(), "no activity ran");
      FanOutWorkflow small = env.getWorkflowClient().newWorkflowStub(FanOutWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId("fanout-after").build());
      assertEquals(2870, small.sumOfSquares(20), "another workflow runs to completion afterwards");
    }
  }

  @Test
  void twoThousandActivitiesRunAndOneMoreFailsTheWorkflowTask() {
    CallLog log = new CallLog();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      env.registerWorkflowImplementationTypes(FanOutWorkflowImpl.class);
      env.registerActivitiesImplementations(new InMemoryMathActivities(log));
      assertEquals("PendingActivitiesLimitExceeded: workflow scheduled 2001 pending activities; the limit is 2000",
          failedTask(env, "fanout-2001", 2001));
      assertEquals(0, log.entries().size(), "no activity ran");
      FanOutWorkflow limit = env.getWorkflowClient().newWorkflowStub(FanOutWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId("fanout-2000").build());
      assertEquals(2000L * 2001 * 4001 / 6, limit.sumOfSquares(2000));
    }
  }
}
