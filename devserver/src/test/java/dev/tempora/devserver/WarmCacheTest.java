package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.FailureWorkflows.Chain;
import dev.tempora.devserver.FailureWorkflows.ChainImpl;
import dev.tempora.devserver.FailureWorkflows.CountingSteps;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.aws.DynamoDbHistoryStore;
import dev.tempora.internal.coordinator.WorkflowTaskProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A long workflow on the embedded stack, through the real DevServer: with the warm runner cache a
 * workflow task reads only the batches committed since the runner's last one, so the history items
 * read over the whole run stay O(steps), where replaying every task from scratch would read
 * O(steps²/2).
 */
class WarmCacheTest {

  static final int STEPS = Integer.getInteger("tempora.warmCacheSteps", 500);

  @Test
  void aLongWorkflowReadsOnlyNewBatchesPerTask() {
    CountingSteps steps = new CountingSteps();
    DevServer.Options d = DevServer.Options.defaults();
    int workflowPollers = 2;
    try (DevServer server = DevServer.start(w -> w.registerWorkflowImplementationTypes(ChainImpl.class)
            .registerActivitiesImplementations(steps),
        d.withPollers(List.of("default"), workflowPollers, 2))) {
      DynamoDbHistoryStore store = server.runtime().store;
      WorkflowTaskProcessor processor = server.runtime().processor;
      long items0 = store.itemsRead();
      long batches0 = store.batchesRead();
      long tasks0 = processor.workflowTasks();
      long replays0 = processor.fullReplays();
      long start = System.nanoTime();

      String result = server.client().newWorkflowStub(Chain.class,
          WorkflowOptions.newBuilder().setWorkflowId("long").build()).run(STEPS);

      long millis = (System.nanoTime() - start) / 1_000_000;
      long items = store.itemsRead() - items0;
      long batches = store.batchesRead() - batches0;
      long tasks = processor.workflowTasks() - tasks0;
      long replays = processor.fullReplays() - replays0;
      long cold = (long) (STEPS + 1) * (STEPS + 2) / 2; // task k would read k batches
      System.out.printf("WarmCacheTest: %d steps in %d ms (%.1f ms/step); %d workflow tasks, %d history items and "
          + "%d batches read (a cold replay per task would read ~%d), %d full replays%n",
          STEPS, millis, (double) millis / STEPS, tasks, items, batches, cold, replays);

      assertEquals(STEPS, steps.total("long"));
      assertTrue(result.startsWith("s0s1s2") && result.endsWith("s" + (STEPS - 1)));
      assertEquals(STEPS + 1, tasks, "one task per step plus the start");
      assertTrue(items < 3L * STEPS, "items read " + items + " must stay O(steps), cold would be " + cold);
      assertTrue(batches < 3L * STEPS, "batches read " + batches);
      assertTrue(replays <= workflowPollers, "full replays " + replays + " <= pollers");
      List<HistoryEvent> h = server.client().fetchHistory("long");
      assertEquals(3L * STEPS + 3, h.size(), "start, then per step: task completed, scheduled, completed; close");
      CoordinatorCrashTest.assertNoDuplicates(h);
    }
  }
}
