package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.FailureWorkflows.ChainImpl;
import dev.tempora.devserver.FailureWorkflows.CountingSteps;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Found by the chaos suite (a workflow stopped with an activity pending and nothing in any DLQ):
 * two coordinator containers X and Y take turns on one workflow. X keeps a warm runner at batch 1;
 * Y commits batch 2, which schedules activity #2; the outcome of #2 then reaches X, whose stale
 * runner does not know #2. The outcome must be recorded (X must notice it is behind), not
 * acknowledged and dropped. Tagged {@code chaos} (runs with the chaos suite, -Dchaos.skip=false)
 * until the engine fix is merged.
 */
@Tag("chaos")
class StaleWarmRunnerTest {

  @Test
  void anOutcomeReachingACoordinatorWithAStaleWarmRunnerIsRecorded() throws Exception {
    CountingSteps steps = new CountingSteps();
    try (FailureStack stack = new FailureStack(FailureStack.Settings.of(w -> w
        .registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(steps)).workflowPollers(0))) {
      AwsRuntime x = stack.runtime;
      AwsRuntime y = stack.newRuntime(WorkflowTaskHooks.NONE);
      stack.runtime.client().newUntypedWorkflowStub("Chain", WorkflowOptions.newBuilder().setWorkflowId("stale").build())
          .start(3);
      deliverNext(stack, x); // the start: batch 1 on X, which keeps its runner warm
      deliverNext(stack, y); // step 0's outcome: batch 2 on Y, scheduling step 1 (activity #2)
      deliverNext(stack, x); // step 1's outcome, on X
      List<HistoryEvent> h = stack.runtime.client().fetchHistory("stale");
      assertTrue(h.stream().anyMatch(e -> e.event() instanceof Event.ActivityTaskCompleted c && c.seq() == 2),
          "the outcome of activity #2 is in the history: " + FailureStack.describe(h));
      deliverNext(stack, y); // step 2's outcome: the workflow completes
      assertEquals(1, FailureStack.count(stack.runtime.client().fetchHistory("stale"), Event.WorkflowExecutionCompleted.class));
    }
  }

  /** Receives the workflow-task queue's next messages and hands them to coordinator {@code r}, as its Lambda would. */
  private static void deliverNext(FailureStack stack, AwsRuntime r) {
    for (int i = 0; i < 20; i++) {
      List<Message> m = stack.aws.sqs().receiveMessage(b -> b.queueUrl(stack.workflowTasks.url()).waitTimeSeconds(1)
          .maxNumberOfMessages(10)).messages();
      if (!m.isEmpty()) {
        r.processor.process(m.stream().map(x -> HistoryJson.readMessage(x.body())).toList());
        m.forEach(x -> stack.aws.sqs().deleteMessage(b -> b.queueUrl(stack.workflowTasks.url()).receiptHandle(x.receiptHandle())));
        return;
      }
    }
    throw new AssertionError("no workflow-task message within 20 s");
  }
}
