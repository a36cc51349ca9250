package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.FailureWorkflows.Chain;
import dev.tempora.devserver.FailureWorkflows.ChainImpl;
import dev.tempora.devserver.FailureWorkflows.CountingSteps;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.history.WorkflowTaskMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Two coordinator containers (two AwsRuntimes: separate runner caches and processors, one table,
 * one set of queues) process the same workflow-task messages at the same moment, as after a
 * visibility timeout expired under a slow coordinator. A barrier in beforeCommit makes both decide
 * the same step from the same history before either commits: the conditional PutItem lets exactly
 * one batch in, the other gets ConcurrentUpdateException: a cold loser fails and its retry (the
 * redelivery) finds the step committed; a warm loser starts over from the store at once and finds it. No step is lost or doubled, and the workflow completes.
 */
class RacingCoordinatorsTest {

  static final int STEPS = 4;

  @Test
  void twoCoordinatorsOnTheSameMessagesCommitEachStepOnce() throws Exception {
    CountingSteps steps = new CountingSteps();
    CyclicBarrier bothDecided = new CyclicBarrier(2);
    WorkflowTaskHooks meetBeforeCommit = new WorkflowTaskHooks() {
      @Override
      public void beforeCommit(RunKey run, HistoryBatch batch) {
        try {
          bothDecided.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
          throw new AssertionError("the other coordinator did not decide the same step", e);
        }
      }
    };
    try (FailureStack stack = new FailureStack(FailureStack.Settings.of(w -> w
            .registerWorkflowImplementationTypes(ChainImpl.class).registerActivitiesImplementations(steps))
        .hooks(meetBeforeCommit).workflowPollers(0));
        ExecutorService threads = Executors.newFixedThreadPool(2)) {
      AwsRuntime a = stack.runtime;
      AwsRuntime b = stack.newRuntime(meetBeforeCommit);
      Chain chain = a.client().newWorkflowStub(Chain.class, WorkflowOptions.newBuilder().setWorkflowId("race").build());
      WorkflowClient.start(chain::run, STEPS);
      RunRecord run = a.store.currentRun(a.config.namespace(), "race").orElseThrow();
      long writtenBefore = a.store.batchesWritten() + b.store.batchesWritten();

      int races = 0;
      int lost = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (!a.store.getRun(run.run()).orElseThrow().status().isClosed()) {
        assertTrue(System.nanoTime() < deadline, "workflow did not complete");
        List<Message> received = stack.aws.sqs().receiveMessage(r -> r.queueUrl(stack.workflowTasks.url())
            .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        if (received.isEmpty()) {
          continue;
        }
        List<WorkflowTaskMessage> messages = received.stream().map(m -> HistoryJson.readMessage(m.body())).toList();
        races++;
        long writtenBeforeRace = a.store.batchesWritten() + b.store.batchesWritten();
        long replaysBeforeRace = a.processor.fullReplays() + b.processor.fullReplays();
        Future<?> fa = threads.submit(() -> a.processor.process(messages));
        Future<?> fb = threads.submit(() -> b.processor.process(messages));
        List<AwsRuntime> losers = new ArrayList<>();
        for (var f : List.of(fa, fb)) {
          try {
            f.get(20, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            assertInstanceOf(ConcurrentUpdateException.class, e.getCause(), "the loser's error");
            losers.add(f == fa ? a : b);
          }
        }
        assertEquals(1, a.store.batchesWritten() + b.store.batchesWritten() - writtenBeforeRace,
            "exactly one of the two commits step " + races);
        // The loser either fails (a cold runner: its messages are redelivered, and this time it finds
        // them consumed and re-sends the outbox) or, with a warm runner, starts over from the store
        // at once, which is a full replay that finds them consumed.
        assertTrue(losers.size() <= 1);
        if (losers.isEmpty()) {
          // It replayed from the store, or (the last step) found the run already closed there.
          assertTrue(a.processor.fullReplays() + b.processor.fullReplays() > replaysBeforeRace
              || a.store.getRun(run.run()).orElseThrow().status().isClosed(), "the warm loser read the store");
        } else {
          losers.get(0).processor.process(messages);
        }
        lost++;
        for (Message m : received) {
          stack.aws.sqs().deleteMessage(r -> r.queueUrl(stack.workflowTasks.url()).receiptHandle(m.receiptHandle()));
        }
      }

      assertEquals("s0s1s2s3", a.client().newUntypedWorkflowStub("race").getResult(String.class));
      List<HistoryBatch> batches = a.store.readHistory(run.run(), 0);
      for (int i = 0; i < batches.size(); i++) {
        assertEquals(i + 1, batches.get(i).seq(), "batch seqs have no gaps or duplicates");
      }
      assertEquals(STEPS + 1, races, "one task per activity result, plus the start");
      assertEquals(races, lost, "every step had one loser");
      assertEquals(races, a.store.batchesWritten() + b.store.batchesWritten() - writtenBefore,
          "exactly one batch committed per step");
      List<HistoryEvent> h = a.client().fetchHistory("race");
      CoordinatorCrashTest.assertNoDuplicates(h);
      for (int i = 0; i < STEPS; i++) {
        // The loser's retry re-sends the step's activity task; the worker's claim drops the duplicate.
        assertEquals(1, steps.calls("race", i), "activity " + i + " ran once");
      }
    }
  }
}
