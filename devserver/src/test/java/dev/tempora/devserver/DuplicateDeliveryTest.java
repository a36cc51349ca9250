package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.FailureWorkflows.Chain;
import dev.tempora.devserver.FailureWorkflows.ChainImpl;
import dev.tempora.devserver.FailureWorkflows.CountingSteps;
import dev.tempora.history.HistoryEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every workflow-task message is handled twice, as when Lambda's delete of a processed batch is
 * lost and SQS redelivers it: the wrapper hands each SQSEvent to the real WorkflowTaskHandler twice
 * in a row. The history must not change, and no activity may be scheduled twice.
 */
class DuplicateDeliveryTest {

  static final int STEPS = 4;

  static String runChain(FailureStack stack, String workflowId) {
    return stack.runtime.client().newWorkflowStub(Chain.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).build()).run(STEPS);
  }

  @Test
  void everyWorkflowTaskDeliveredTwiceGivesTheSameHistory() {
    CountingSteps cleanSteps = new CountingSteps();
    String cleanResult;
    List<String> clean;
    try (FailureStack stack = new FailureStack(FailureStack.Settings.of(w -> w
        .registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(cleanSteps)))) {
      cleanResult = runChain(stack, "dup");
      clean = FailureStack.describe(stack.runtime.client().fetchHistory("dup"));
    }

    CountingSteps steps = new CountingSteps();
    AtomicInteger doubled = new AtomicInteger();
    try (FailureStack stack = new FailureStack(FailureStack.Settings.of(w -> w
            .registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(steps))
        .wrapWorkflowHandler(h -> (RequestHandler<SQSEvent, SQSBatchResponse>) (event, context) -> {
          h.handleRequest(event, context);
          doubled.incrementAndGet();
          return h.handleRequest(event, context);
        }))) {
      assertEquals(cleanResult, runChain(stack, "dup"));
      List<HistoryEvent> h = stack.runtime.client().fetchHistory("dup");
      assertEquals(clean, FailureStack.describe(h));
      CoordinatorCrashTest.assertNoDuplicates(h);
      assertTrue(doubled.get() >= STEPS + 1, "every task was handled twice: " + doubled);
      for (int i = 0; i < STEPS; i++) {
        // The second handling of a task re-sends the committed batch's activity tasks (outbox);
        // the worker's claim on the attempt makes the duplicate a no-op.
        assertEquals(1, steps.calls("dup", i), "activity " + i + " ran once: " + steps.calls);
      }
    }
  }

  /**
   * With every workflow task delivered twice, each activity still runs once: the outbox re-send
   * reaches the worker as a second delivery of the same attempt, which loses the attempt's claim.
   * (Before the claim existed this measured {dup/0=2, dup/1=2, dup/2=2, dup/3=2}.)
   */
  @Test
  void activitiesRunOnceDespiteDuplicateWorkflowTasks() {
    CountingSteps steps = new CountingSteps();
    try (FailureStack stack = new FailureStack(FailureStack.Settings.of(w -> w
            .registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(steps))
        .wrapWorkflowHandler(h -> (RequestHandler<SQSEvent, SQSBatchResponse>) (event, context) -> {
          h.handleRequest(event, context);
          return h.handleRequest(event, context);
        }))) {
      runChain(stack, "dup-once");
      for (int i = 0; i < STEPS; i++) {
        assertEquals(1, steps.calls("dup-once", i), "activity " + i + " ran once: " + steps.calls);
      }
    }
  }
}
