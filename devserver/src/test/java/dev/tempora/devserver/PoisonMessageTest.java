package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.FailureWorkflows.Chain;
import dev.tempora.devserver.FailureWorkflows.ChainImpl;
import dev.tempora.devserver.FailureWorkflows.CountingSteps;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A message the coordinator cannot decode is reported failed on every delivery; after the queue's
 * maxReceiveCount SQS moves it to the DLQ, where it stays visible. Other workflows' groups go on.
 */
class PoisonMessageTest {

  @Test
  void garbageOnTheWorkflowTaskQueueEndsInItsDlqWithoutBlockingOtherGroups() throws Exception {
    CountingSteps steps = new CountingSteps();
    try (FailureStack stack = new FailureStack(FailureStack.Settings.of(w -> w
            .registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(steps))
        .maxReceiveCount(2).workflowVisibility(Duration.ofSeconds(1)))) {
      String garbage = "{not a workflow task";
      stack.aws.sqs().sendMessage(b -> b.queueUrl(stack.workflowTasks.url()).messageBody(garbage)
          .messageGroupId("default#poisoned").messageDeduplicationId("poison-1"));

      // Meanwhile, healthy workflows in other groups run to completion.
      long start = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        String id = "healthy-" + i;
        assertEquals("s0s1s2", stack.runtime.client().newWorkflowStub(Chain.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).build()).run(3));
      }
      long healthyMillis = (System.nanoTime() - start) / 1_000_000;

      List<Message> dead = List.of();
      for (int i = 0; i < 150 && dead.isEmpty(); i++) {
        Thread.sleep(100);
        dead = stack.deadLetters(stack.workflowTasks);
      }
      System.out.printf("PoisonMessageTest: healthy workflows took %d ms; poison in the DLQ after %d ms%n",
          healthyMillis, (System.nanoTime() - start) / 1_000_000);
      assertEquals(1, dead.size(), "the poison message is in the DLQ");
      assertEquals(garbage, dead.get(0).body());
      assertEquals("default#poisoned", dead.get(0).attributesAsStrings().get("MessageGroupId"));
      assertTrue(healthyMillis < 15_000, "healthy workflows were not held up: " + healthyMillis + " ms");
      // Nothing else went to the DLQ.
      for (int i = 0; i < 3; i++) {
        assertEquals(1, steps.calls("healthy-" + i, 0));
      }
    }
  }
}
