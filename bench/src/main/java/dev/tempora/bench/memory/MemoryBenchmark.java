package dev.tempora.bench.memory;

import dev.tempora.bench.BenchResult;
import dev.tempora.bench.BenchSize;
import dev.tempora.bench.Benchmark;
import dev.tempora.bench.Figure;
import dev.tempora.bench.Target;
import dev.tempora.bench.replay.TemporaSteps;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.devserver.DevServer;
import dev.tempora.internal.aws.AwsConfig;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Memory (issue 4, item 4). (a) Heap per cached runner: K workflows parked on a timer mid-run in
 * the in-memory engine, their runners in the cache; the heap with the runners minus the heap after
 * evicting them, over K. (b) Heap per waiting workflow: N workflows parked on a one-day timer on
 * the embedded AWS stack with the runner cache off, as a coordinator holds them after eviction;
 * the whole JVM's used heap after minus before starting them, over N.
 */
public final class MemoryBenchmark implements Benchmark {
  static final String NAME = "memory";
  private static final double KB = 1024.0;
  /** Steps a parked workflow of (a) runs before its timer, so its runner holds a used activity stub. */
  private static final int STEPS_BEFORE = 3;
  /** The same for (b): one step keeps starting 10,000 of them within a couple of minutes on 2 cores. */
  private static final int WAITING_STEPS_BEFORE = 1;

  /** K cached runners per run, runs, N waiting workflows, and the workflows started first to warm the stack. */
  record Plan(int cachedRunners, int runs, int waitingWorkflows, int warmup) {
    static Plan of(BenchSize size) {
      return switch (size) {
        case SMOKE -> new Plan(200, 1, 150, 30);
        case DEFAULT -> new Plan(1_000, 3, 2_000, 100);
        case FULL -> new Plan(5_000, 3, 10_000, 100);
      };
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BenchResult run(BenchSize size, Path chartDir) throws Exception {
    Plan plan = Plan.of(size);
    List<String> notes = new ArrayList<>();
    Figure perRunner = cachedRunners(plan, notes);
    List<Figure> waiting = waitingWorkflows(plan, notes);
    List<Figure> figures = new ArrayList<>();
    figures.add(perRunner);
    figures.addAll(waiting);
    String smoke = size == BenchSize.SMOKE ? " (smoke size)" : "";
    List<Target> targets = List.of(
        new Target("heap per cached runner <= 50 KB" + smoke, perRunner.median(), 50, false),
        new Target(String.format("heap per waiting (evicted) workflow <= 2 KB, %,d waiting on a timer%s",
            plan.waitingWorkflows(), smoke), waiting.getFirst().median(), 2, false));
    return new BenchResult(NAME, figures, targets, notes, List.of());
  }

  /** (a): in-memory engine, cache big enough for every runner. */
  private static Figure cachedRunners(Plan plan, List<String> notes) throws Exception {
    int k = plan.cachedRunners();
    List<Double> samples = new ArrayList<>();
    TestEnvironmentOptions options = TestEnvironmentOptions.newBuilder().setRunnerCacheSize(k + 100).build();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options)) {
      env.registerWorkflowImplementationTypes(Parked.Impl.class);
      env.registerActivitiesImplementations(new TemporaSteps.StepActivitiesImpl());
      // Warm-up: load and initialise every class a runner touches before the first reading.
      park(env, "warmup", 50);
      env.evictRunners();
      for (int r = 0; r < plan.runs(); r++) {
        park(env, "run" + r, k);
        int cached = env.stats().cachedRunners();
        if (cached < k) {
          throw new IllegalStateException("expected " + k + " cached runners, the cache holds " + cached);
        }
        Map<String, Long> histWith = r == 0 ? HeapMeter.histogram() : null;
        long with = HeapMeter.usedAfterGc();
        env.evictRunners();
        Map<String, Long> histWithout = r == 0 ? HeapMeter.histogram() : null;
        long without = HeapMeter.usedAfterGc();
        samples.add((with - without) / KB / cached);
        if (r == 0) {
          notes.add("(a) what a cached runner holds, largest classes per runner (first run): "
              + HeapMeter.topGrowth(histWithout, histWith, cached, 8) + ".");
        }
      }
    }
    notes.add(String.format("(a) Heap per cached runner: %,d workflows (%d activity steps, then a one-day timer) parked "
        + "in the in-memory engine with every runner cached; (used heap after full GCs with the runners) minus "
        + "(after evicting them), over the runner count; %d run(s). Counts the runner, its workflow object, "
        + "its parked virtual thread's stack (virtual thread stacks live on the heap) and promises; not the "
        + "history, which the store holds either way.", k, STEPS_BEFORE, plan.runs()));
    return new Figure(NAME, String.format("heap per cached runner (K=%,d)", k), "KB", samples);
  }

  private static void park(TestWorkflowEnvironment env, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      Parked stub = env.getWorkflowClient().newWorkflowStub(Parked.class,
          WorkflowOptions.newBuilder().setWorkflowId(prefix + "-" + i).build());
      WorkflowClient.start(stub::run, STEPS_BEFORE);
    }
    env.awaitIdle();
  }

  /** (b): the embedded AWS stack with the runner cache off. */
  private static List<Figure> waitingWorkflows(Plan plan, List<String> notes) throws Exception {
    int n = plan.waitingWorkflows();
    AwsConfig config = AwsConfig.defaults().withRunnerCacheSize(0);
    DevServer.Options options = DevServer.Options.defaults().withConfig(config).withPollers(List.of("default"), 2, 2);
    try (DevServer server = DevServer.start(w -> w.registerWorkflowImplementationTypes(Parked.Impl.class)
        .registerActivitiesImplementations(new TemporaSteps.StepActivitiesImpl()), options)) {
      startParked(server, "warmup", plan.warmup());
      long used0 = HeapMeter.usedAfterGc();
      long rss0 = HeapMeter.rssBytes();
      Map<String, Long> hist0 = HeapMeter.histogram();
      long t0 = System.nanoTime();
      startParked(server, "waiting", n);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long used1 = HeapMeter.usedAfterGc();
      long rss1 = HeapMeter.rssBytes();
      Map<String, Long> hist1 = HeapMeter.histogram();
      notes.add(String.format("(b) Heap per waiting workflow: %,d workflows (%d activity steps, then a one-day timer) "
          + "started on the embedded AWS stack (DevServer) with the runner cache off (TEMPORA_RUNNER_CACHE_SIZE=0), "
          + "all parked in %.0f s; (used heap of the whole JVM after full GCs) after minus before, over %,d. The "
          + "JVM holds DynamoDB Local, ElasticMQ, the Scheduler stand-in and the coordinator; a one-day timer is an "
          + "EventBridge Scheduler schedule, kept on the heap by the stand-in (on AWS it costs no coordinator "
          + "memory). DynamoDB Local keeps its in-memory tables in SQLite (sqlite4java, native memory), so the "
          + "history is off-heap: the resident-set figure shows the process as a whole.", n, WAITING_STEPS_BEFORE,
          seconds, n));
      notes.add("(b) largest heap growth per waiting workflow by class: " + HeapMeter.topGrowth(hist0, hist1, n, 8) + ".");
      // Who owns it: the engine's own objects, or the emulators' state (SQS's FIFO deduplication
      // window keeps each delivered message for 5 minutes; Scheduler keeps each schedule).
      notes.add(String.format("(b) by owner, bytes per waiting workflow: Tempora engine classes (dev.tempora, "
              + "without the devserver stand-ins) %.0f B; ElasticMQ message and deduplication records (org.elasticmq) "
              + "%.0f B, plus the strings they hold; Scheduler stand-in schedules (dev.tempora.devserver) %.0f B, plus "
              + "their strings. Strings and byte arrays ([B) are not attributed by a histogram.",
          HeapMeter.growth(hist0, hist1, "dev.tempora.", n) - HeapMeter.growth(hist0, hist1, "dev.tempora.devserver.", n),
          HeapMeter.growth(hist0, hist1, "org.elasticmq.", n), HeapMeter.growth(hist0, hist1, "dev.tempora.devserver.", n)));
      List<Figure> out = new ArrayList<>();
      out.add(Figure.of(NAME, String.format("heap per waiting workflow (N=%,d, cache off)", n), "KB",
          (used1 - used0) / KB / n));
      if (rss0 > 0 && rss1 > 0) {
        out.add(Figure.of(NAME, String.format("process RSS per waiting workflow (N=%,d)", n), "KB",
            (rss1 - rss0) / KB / n));
      }
      return out;
    }
  }

  /** Starts {@code count} parked workflows from a few client threads and waits until each has reached its timer. */
  private static void startParked(DevServer server, String prefix, int count) throws Exception {
    long tasksBefore = server.runtime().processor.workflowTasks();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> starts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String id = prefix + "-" + i;
        starts.add(pool.submit(() -> {
          Parked stub = server.client().newWorkflowStub(Parked.class,
              WorkflowOptions.newBuilder().setWorkflowId(id).build());
          WorkflowClient.start(stub::run, WAITING_STEPS_BEFORE);
        }));
      }
      for (Future<?> f : starts) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    // A workflow reaches its timer in its (steps + 1)-th task: the start, then one per activity.
    long expected = tasksBefore + (long) count * (WAITING_STEPS_BEFORE + 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + count / 20);
    while (server.runtime().processor.workflowTasks() < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + (server.runtime().processor.workflowTasks() - tasksBefore) + " of "
            + (expected - tasksBefore) + " workflow tasks ran in time");
      }
      Thread.sleep(100);
    }
    while (server.backlog("workflow-tasks") > 0 || server.backlog("activities-default") > 0) {
      Thread.sleep(100);
    }
  }
}
