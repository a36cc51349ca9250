package dev.tempora.bench.e2e;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The comparison: Temporal's Java SDK worker against its in-process test service
 * ({@code temporal-testing}), in real time (no time skipping). The test service keeps everything
 * in memory: nothing is persisted, which the report says beside the ratio.
 *
 * <p>Runs are driven like {@link TemporaSystem}'s: N virtual threads, at most
 * {@code clientConcurrency} start calls in flight, results through the client's own asynchronous
 * wait ({@code getResultAsync}, a long poll), latency from the start call to the result.
 */
final class TemporalSystem implements AutoCloseable {

  /**
   * Worker tuning: sticky cache and workflow threads (virtual, like Tempora's runners) large
   * enough to hold every open workflow of a run; pollers and task slots as given.
   */
  record Settings(int workflowPollers, int activityPollers, int taskSlots, int cacheSize, int clientConcurrency) {}

  private static final String TASK_QUEUE = "bench";

  private final Settings settings;
  private final TestWorkflowEnvironment env;
  private final WorkflowClient client;

  TemporalSystem(Settings settings) {
    this.settings = settings;
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setUseTimeskipping(false)
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
            .setWorkflowCacheSize(settings.cacheSize())
            .setMaxWorkflowThreadCount(2 * settings.cacheSize())
            .setUsingVirtualWorkflowThreads(true)
            .build())
        .build());
    Worker worker = env.newWorker(TASK_QUEUE, WorkerOptions.newBuilder()
        .setMaxConcurrentWorkflowTaskPollers(settings.workflowPollers())
        .setMaxConcurrentActivityTaskPollers(settings.activityPollers())
        .setMaxConcurrentWorkflowTaskExecutionSize(settings.taskSlots())
        .setMaxConcurrentActivityExecutionSize(settings.taskSlots())
        .build());
    worker.registerWorkflowImplementationTypes(TemporalOrder.OrderWorkflowImpl.class);
    worker.registerActivitiesImplementations(new TemporalOrder.OrderActivitiesImpl());
    env.start();
    client = env.getWorkflowClient();
  }

  Settings settings() {
    return settings;
  }

  RunResult run(int n, String prefix) throws Exception {
    Semaphore inFlight = new Semaphore(settings.clientConcurrency());
    long[] latency = new long[n];
    long cpuStart = ProcessCpu.nanos();
    long start = System.nanoTime();
    List<Future<CompletableFuture<Void>>> started = new ArrayList<>(n);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int index = i;
        started.add(threads.submit(() -> oneWorkflow(prefix + "-" + index, inFlight, latency, index)));
      }
      for (Future<CompletableFuture<Void>> f : started) {
        try {
          f.get().get(TemporaSystem.WAIT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          throw new IllegalStateException("a Temporal workflow of run " + prefix + " failed", e.getCause());
        }
      }
    }
    long wall = System.nanoTime() - start;
    return new RunResult(n, wall, latency, ProcessCpu.nanos() - cpuStart);
  }

  private CompletableFuture<Void> oneWorkflow(String id, Semaphore inFlight, long[] latency, int index)
      throws InterruptedException {
    TemporalOrder.OrderWorkflow stub = client.newWorkflowStub(TemporalOrder.OrderWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TASK_QUEUE).build());
    inFlight.acquire();
    long begun = System.nanoTime();
    try {
      WorkflowClient.start(stub::process, id);
    } finally {
      inFlight.release();
    }
    return WorkflowStub.fromTyped(stub).getResultAsync(String.class).thenAccept(result -> {
      latency[index] = System.nanoTime() - begun;
      if (!BenchOrder.expectedResult(id).equals(result)) {
        throw new IllegalStateException("workflow " + id + " returned " + result);
      }
    });
  }

  @Override
  public void close() {
    env.close();
  }
}
