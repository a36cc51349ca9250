package dev.tempora.bench.growth;

import dev.tempora.bench.BenchResult;
import dev.tempora.bench.BenchSize;
import dev.tempora.bench.Benchmark;
import dev.tempora.bench.Charts;
import dev.tempora.bench.Figure;
import dev.tempora.bench.Target;
import dev.tempora.bench.replay.TemporaSteps;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.DevServer;
import dev.tempora.internal.aws.AwsConfig;
import dev.tempora.internal.aws.DynamoDbHistoryStore;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Cost growth (issue 4, item 3): what one workflow task costs as the history grows, on the
 * embedded AWS stack. A long workflow of sequential activity steps runs once with a warm runner
 * cache (the coordinator keeps the live runner and reads only the batches it has not seen) and
 * once with the cache off (every task reads and replays the whole history, as after a
 * coordinator cold start). Per task it records the coordinator's processing time (from reading
 * the run record to the last send, via {@link WorkflowTaskHooks#afterTask}) and the history items
 * read; a figure is the tasks in a small window around step 10, 100, 1,000.
 */
public final class GrowthBenchmark implements Benchmark {
  static final String NAME = "growth";

  /** The sizes of one run: steps measured with a warm cache, with a cold one, window width, warm-up steps. */
  record Plan(int[] warm, int[] cold, int window, int warmupSteps) {
    static Plan of(BenchSize size) {
      return switch (size) {
        case SMOKE -> new Plan(new int[] {5, 20}, new int[] {5, 20}, 3, 20);
        case DEFAULT -> new Plan(new int[] {10, 100, 1_000}, new int[] {10, 100, 300}, 9, 300);
        case FULL -> new Plan(new int[] {10, 100, 1_000}, new int[] {10, 100, 1_000}, 15, 300);
      };
    }
  }

  /** Per task of the measured workflow: coordinator nanos and history items read. */
  record TaskCost(long nanos, long itemsRead) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BenchResult run(BenchSize size, Path chartDir) throws Exception {
    Plan plan = Plan.of(size);
    Map<Integer, TaskCost> warm = measure(AwsConfig.defaults().runnerCacheSize(), plan.warm(), plan);
    Map<Integer, TaskCost> cold = measure(0, plan.cold(), plan);

    List<Figure> figures = new ArrayList<>();
    Map<String, double[][]> timeChart = new LinkedHashMap<>();
    Map<String, double[][]> itemsChart = new LinkedHashMap<>();
    List<Figure> warmTimes = add(figures, "warm", warm, plan.warm(), plan.window(), timeChart, itemsChart);
    add(figures, "cold", cold, plan.cold(), plan.window(), timeChart, itemsChart);

    int first = plan.warm()[0];
    int last = plan.warm()[plan.warm().length - 1];
    double ratio = warmTimes.getLast().median() / warmTimes.getFirst().median();
    figures.add(Figure.of(NAME, "warm ms/task ratio step " + last + " / step " + first, "x", ratio));
    List<Target> targets = List.of(new Target(String.format(
        "warm-cache time per task at step %,d <= 1.2x step %,d%s", last, first, size == BenchSize.SMOKE ? " (smoke size)" : ""),
        ratio, 1.2, false));

    List<Path> charts = List.of(
        Charts.lines(chartDir.resolve("growth-ms-per-task.png"), "Coordinator time per workflow task",
            "step (batches already in history)", "ms per task (median of window)", true, timeChart),
        Charts.lines(chartDir.resolve("growth-items-per-task.png"), "History items read per workflow task",
            "step (batches already in history)", "items read per task (median of window)", true, itemsChart));

    List<String> notes = new ArrayList<>();
    notes.add("Embedded AWS stack (DevServer: DynamoDB Local over HTTP, ElasticMQ), one workflow poller, one "
        + "workflow of sequential activity steps (TemporaSteps, no timers); step k is the task with k batches "
        + "already in history. A figure's samples are the " + plan.window() + " tasks centred on the step.");
    notes.add("Time is the coordinator's processing of the task (WorkflowTaskHooks.afterTask): read the run "
        + "record, take or rebuild the runner (reading history), decide, the conditional PutItem, the sends. Not "
        + "counted: SQS wait and the activity.");
    notes.add("Items read counts history items (DynamoDbHistoryStore.itemsRead); every task also reads the run "
        + "record (one GetItem) and issues one history Query, which is empty on a warm hit.");
    notes.add("Warm: runner cache " + AwsConfig.defaults().runnerCacheSize() + "; cold: cache size 0, so every "
        + "task reads and replays the whole history: its cost grows linearly per task and quadratically over a run"
        + (plan.cold()[plan.cold().length - 1] < plan.warm()[plan.warm().length - 1]
            ? ", which is why the default size stops the cold run at step " + plan.cold()[plan.cold().length - 1]
                + " (--full goes to 1,000)" : "")
        + ".");
    notes.add("Each server first runs a " + plan.warmupSteps() + "-step workflow so the JIT and the emulators are "
        + "warm before step 10 is measured.");
    return new BenchResult(NAME, figures, targets, notes, charts);
  }

  private static List<Figure> add(List<Figure> figures, String mode, Map<Integer, TaskCost> costs, int[] steps,
      int window, Map<String, double[][]> timeChart, Map<String, double[][]> itemsChart) {
    List<Figure> times = new ArrayList<>();
    double[][] t = new double[2][steps.length];
    double[][] items = new double[2][steps.length];
    for (int i = 0; i < steps.length; i++) {
      int k = steps[i];
      List<Double> ms = new ArrayList<>();
      List<Double> read = new ArrayList<>();
      for (int s = k - window / 2; s <= k + window / 2; s++) {
        TaskCost c = costs.get(s);
        if (c == null) {
          throw new IllegalStateException("no " + mode + " task recorded at step " + s);
        }
        ms.add(c.nanos() / 1e6);
        read.add((double) c.itemsRead());
      }
      Figure time = new Figure(NAME, String.format("%s ms/task @step %,d", mode, k), "ms", ms);
      Figure it = new Figure(NAME, String.format("%s history items read/task @step %,d", mode, k), "items", read);
      figures.add(time);
      figures.add(it);
      times.add(time);
      t[0][i] = k;
      t[1][i] = time.median();
      items[0][i] = k;
      items[1][i] = it.median();
    }
    timeChart.put(mode + " cache", t);
    itemsChart.put(mode + " cache", items);
    return times;
  }

  /** Runs the warm-up workflow and the measured one on a fresh stack; returns the measured tasks by step. */
  private static Map<Integer, TaskCost> measure(int cacheSize, int[] steps, Plan plan) throws Exception {
    int lastStep = steps[steps.length - 1] + plan.window() / 2;
    TaskLog log = new TaskLog();
    AwsConfig config = AwsConfig.defaults().withRunnerCacheSize(cacheSize);
    DevServer.Options options = DevServer.Options.defaults().withConfig(config).withPollers(List.of("default"), 1, 1)
        .withHooks(log);
    try (DevServer server = DevServer.start(w -> w.registerWorkflowImplementationTypes(TemporaSteps.StepsImpl.class)
        .registerActivitiesImplementations(new TemporaSteps.StepActivitiesImpl()), options)) {
      log.store = server.runtime().store;
      runToEnd(server, log, "growth-warmup", plan.warmupSteps());
      return runToEnd(server, log, "growth", lastStep + 1);
    }
  }

  private static Map<Integer, TaskCost> runToEnd(DevServer server, TaskLog log, String workflowId, int steps)
      throws Exception {
    CompletableFuture<Map<Integer, TaskCost>> done = log.watch(workflowId, steps + 1);
    TemporaSteps.Steps stub = server.client().newWorkflowStub(TemporaSteps.Steps.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).build());
    WorkflowClient.start(stub::run, steps, 0);
    // Waiting through the hook, not the client, keeps result polling off the stack while it is measured.
    return done.get(30 + steps, TimeUnit.SECONDS);
  }

  /**
   * The hook: for the watched workflow, the time and the history items read per task, keyed by
   * step (batches already in history = batch seq - 1). Items read are the store's counter at the
   * end of this task minus at the end of the previous one; the watched workflow is the only one
   * running and nothing else reads history between its tasks.
   */
  static final class TaskLog implements WorkflowTaskHooks {
    volatile DynamoDbHistoryStore store;
    private volatile String workflowId;
    private volatile int lastSeq;
    private volatile CompletableFuture<Map<Integer, TaskCost>> done;
    private final Map<Integer, TaskCost> costs = new ConcurrentHashMap<>();
    private long itemsAtLastTask;

    synchronized CompletableFuture<Map<Integer, TaskCost>> watch(String id, int lastBatchSeq) {
      costs.clear();
      itemsAtLastTask = store.itemsRead();
      lastSeq = lastBatchSeq;
      done = new CompletableFuture<>();
      workflowId = id;
      return done;
    }

    @Override
    public synchronized void afterTask(RunKey run, HistoryBatch batch, long nanos) {
      if (!run.workflowId().equals(workflowId)) {
        return;
      }
      long items = store.itemsRead();
      costs.put(batch.seq() - 1, new TaskCost(nanos, items - itemsAtLastTask));
      itemsAtLastTask = items;
      if (batch.seq() == lastSeq) {
        done.complete(Map.copyOf(costs));
      }
    }
  }
}
