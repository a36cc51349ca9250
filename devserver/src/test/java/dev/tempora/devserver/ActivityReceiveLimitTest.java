package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.FailureWorkflows.Chain;
import dev.tempora.devserver.FailureWorkflows.ChainImpl;
import dev.tempora.devserver.FailureWorkflows.Steps;
import dev.tempora.history.Event;
import dev.tempora.internal.aws.AwsConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * An activity worker is killed after running the attempt, before its outcome is sent, on as many
 * deliveries as the activity queue's maxReceiveCount, then lets it through. A decodable message
 * must never reach the DLQ by its receive count: the worker hands it back as a fresh copy before
 * its receives run out, the copy keeps the attempt's claim, and the workflow completes.
 */
class ActivityReceiveLimitTest {
  private static final int MAX_RECEIVE_COUNT = 3;

  /** Kills the activity worker as it sends an outcome to the workflow-task queue, {@code kills} times. */
  static final class KillOutcomeSends implements ExecutionInterceptor {
    private final String workflowTaskQueue = AwsConfig.defaults().workflowTaskQueueName();
    private final int kills;
    final AtomicInteger killed = new AtomicInteger();

    KillOutcomeSends(int kills) {
      this.kills = kills;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (!SqsEventSourcePoller.currentFunction().orElse("").startsWith("tempora-activities-")) return;
      String queueUrl = switch (context.request()) {
        case SendMessageRequest r -> r.queueUrl();
        case SendMessageBatchRequest r -> r.queueUrl();
        case ChangeMessageVisibilityRequest r -> {
          // Only a failed attempt's backoff changes visibility, and a killed worker does not get to
          // it: its message comes back after the visibility timeout.
          throw SdkClientException.create("worker killed");
        }
        default -> null;
      };
      if (queueUrl != null && queueUrl.contains(workflowTaskQueue) && killed.getAndUpdate(n -> Math.min(n + 1, kills)) < kills) {
        throw new Error("activity worker killed after running the attempt, before its outcome was sent");
      }
    }
  }

  @Test
  void anActivityKilledOnEveryReceiveItsQueueAllowsIsHandedBackNotDeadLettered() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Steps steps = (workflowId, i) -> {
      runs.incrementAndGet();
      return "s" + i;
    };
    KillOutcomeSends killer = new KillOutcomeSends(MAX_RECEIVE_COUNT);
    try (FailureStack stack = new FailureStack(FailureStack.Settings.of(w -> w
            .registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(steps))
        .maxReceiveCount(MAX_RECEIVE_COUNT).activityVisibility(Duration.ofSeconds(1)), List.of(killer))) {
      Chain chain = stack.runtime.client().newWorkflowStub(Chain.class,
          WorkflowOptions.newBuilder().setWorkflowId("killed-every-receive").build());
      CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> chain.run(1));
      String out;
      try {
        out = result.get(60, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail("the workflow did not complete; activity DLQ: " + stack.deadLetters(stack.activities).stream()
            .map(m -> m.body()).toList());
        return;
      }
      assertEquals("s0", out);
      assertEquals(MAX_RECEIVE_COUNT, killer.killed.get(), "killed on as many deliveries as the queue allows");
      assertEquals(MAX_RECEIVE_COUNT + 1, runs.get(), "the attempt ran on every delivery, the copies included");
      assertEquals(List.of(), stack.deadLetters(stack.activities), "nothing dead-lettered");
      var h = stack.runtime.client().fetchHistory("killed-every-receive");
      assertEquals(1, FailureStack.count(h, Event.ActivityTaskCompleted.class), h.toString());
      CoordinatorCrashTest.assertNoDuplicates(h);
    }
  }
}
