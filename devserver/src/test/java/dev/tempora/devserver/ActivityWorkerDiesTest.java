package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.FailureWorkflows.Chain;
import dev.tempora.devserver.FailureWorkflows.ChainImpl;
import dev.tempora.devserver.FailureWorkflows.Steps;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An activity worker dies (or hangs) mid-activity: it neither reports nor deletes its message, so
 * the message reappears after the activity queue's visibility timeout (2 s here) and another
 * worker runs the attempt to the end. The workflow's result is right and the activity is
 * completed once in its history.
 */
class ActivityWorkerDiesTest {

  /** Step 0's first invocation hangs (a stuck or killed worker) until released. */
  public static final class HangingSteps implements Steps {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean hung = new AtomicBoolean();
    final AtomicInteger invocations = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();

    @Override
    public String step(String workflowId, int i) {
      invocations.incrementAndGet();
      if (i == 0 && hung.compareAndSet(false, true)) {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "zombie"; // a late result from a worker presumed dead
      }
      finished.incrementAndGet();
      return "s" + i;
    }
  }

  private static List<HistoryEvent> completions(List<HistoryEvent> h, long seq) {
    return h.stream().filter(e -> e.event() instanceof Event.ActivityTaskCompleted c && c.seq() == seq).toList();
  }

  @Test
  void aHungAttemptIsRedeliveredAndCompletedByAnotherWorker() throws Exception {
    HangingSteps steps = new HangingSteps();
    try (FailureStack stack = new FailureStack(FailureStack.Settings.of(w -> w
            .registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(steps))
        .activityVisibility(Duration.ofSeconds(2)).activityPollers(2))) {
      try {
        long start = System.nanoTime();
        assertEquals("s0s1s2", stack.runtime.client().newWorkflowStub(Chain.class,
            WorkflowOptions.newBuilder().setWorkflowId("hung").build()).run(3));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 1_900, "step 0 waited for the visibility timeout: " + millis + " ms");
        assertTrue(steps.hung.get());
      } finally {
        steps.release.countDown();
      }
      // The zombie attempt now finishes and reports "zombie"; it must change nothing.
      Thread.sleep(2_000);
      List<HistoryEvent> h = stack.runtime.client().fetchHistory("hung");
      assertEquals(1, completions(h, 1).size(), h.toString());
      assertTrue(completions(h, 1).get(0).toString().contains("\"s0\""), h.toString());
      CoordinatorCrashTest.assertNoDuplicates(h);
      assertEquals(4, steps.invocations.get(), "step 0 twice (hung + redelivered), steps 1 and 2 once");
    }
  }

  @Test
  void aWorkerKilledAfterRunningButBeforeItsDeleteRunsTheAttemptAgainButRecordsItOnce() {
    AtomicInteger calls = new AtomicInteger();
    Steps steps = (workflowId, i) -> {
      calls.incrementAndGet();
      return "s" + i;
    };
    AtomicBoolean killed = new AtomicBoolean();
    try (FailureStack stack = new FailureStack(FailureStack.Settings.of(w -> w
            .registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(steps))
        .activityVisibility(Duration.ofSeconds(2))
        .wrapActivityHandler(h -> (RequestHandler<SQSEvent, SQSBatchResponse>) (event, context) -> {
          SQSBatchResponse r = h.handleRequest(event, context);
          if (killed.compareAndSet(false, true)) {
            // The container dies after the attempt reported its outcome, before the poller's delete.
            throw new Error("worker killed");
          }
          return r;
        }))) {
      assertEquals("s0s1", stack.runtime.client().newWorkflowStub(Chain.class,
          WorkflowOptions.newBuilder().setWorkflowId("killed").build()).run(2));
      List<HistoryEvent> h = stack.runtime.client().fetchHistory("killed");
      CoordinatorCrashTest.assertNoDuplicates(h);
      assertEquals(1, completions(h, 1).size(), h.toString());
      assertTrue(killed.get());
    }
  }
}
