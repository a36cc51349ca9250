package dev.tempora.bench.e2e;

import dev.tempora.bench.BenchResult;
import dev.tempora.bench.BenchSize;
import dev.tempora.bench.Benchmark;
import dev.tempora.bench.Figure;
import dev.tempora.bench.Target;
import dev.tempora.bench.cost.Alternatives;
import dev.tempora.bench.cost.AwsCallRecorder;
import dev.tempora.bench.cost.CallCounts;
import dev.tempora.bench.cost.CostBreakdown;
import dev.tempora.bench.cost.CostModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Benchmarks 1 and 5 of the benchmark issue in one run: end-to-end throughput of N order-saga
 * workflows on the embedded stack against Temporal's in-process test service, and, measured
 * during the same Tempora runs, every AWS call and what it would cost on AWS.
 *
 * <p>Both systems are started once, warmed up, and then measured alternately (Tempora's run of a
 * size, then Temporal's), so that noise on a shared machine hits both alike. Figures named
 * "tempora ..." and "temporal ..." carry one sample per run; the ratio figure pairs the two runs
 * of the same round. Cost figures (benchmark "cost") come from the Tempora runs only.
 */
public final class ThroughputBenchmark implements Benchmark {

  static final String NAME = "throughput";
  static final String COST = "cost";
  /** The Lambda function name the devserver gives the coordinator's event sources. */
  static final String COORDINATOR_FUNCTION = "tempora-coordinator";

  /** Workflow counts and repetitions per size; {@code warmup} workflows run on each system first. */
  record Plan(List<Integer> sizes, Map<Integer, Integer> runs, int warmup) {}

  static Plan plan(BenchSize size) {
    return switch (size) {
      case SMOKE -> new Plan(List.of(20), Map.of(20, 1), 20);
      case DEFAULT -> new Plan(List.of(200, 1000), Map.of(200, 3, 1000, 1), 200);
      case FULL -> new Plan(List.of(200, 1000, 5000), Map.of(200, 3, 1000, 3, 5000, 3), 500);
    };
  }

  /**
   * Tuning (stated in the notes). On a 2-core machine the engine's handlers, both emulators and
   * the client share the cores: 4 coordinator pollers and 4 activity pollers keep both queues
   * drained without thrashing. Temporal gets the same pollers and the SDK's default 200 task slots;
   * both caches hold 1,000 open workflows (Tempora's default runner cache), and both clients have
   * at most 16 calls in flight.
   */
  static final TemporaSystem.Settings TEMPORA = new TemporaSystem.Settings(4, 4, 16);
  static final TemporalSystem.Settings TEMPORAL = new TemporalSystem.Settings(4, 4, 200, 1000, 16);

  private final TemporaSystem.Settings temporaSettings;
  private final TemporalSystem.Settings temporalSettings;

  public ThroughputBenchmark() {
    this(TEMPORA, TEMPORAL);
  }

  ThroughputBenchmark(TemporaSystem.Settings tempora, TemporalSystem.Settings temporal) {
    this.temporaSettings = tempora;
    this.temporalSettings = temporal;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** What was measured at one N, one element per run. */
  private record AtSize(int n, List<TemporaSystem.Run> tempora, List<RunResult> temporal) {}

  @Override
  public BenchResult run(BenchSize size, Path chartDir) throws Exception {
    return run(plan(size), chartDir);
  }

  BenchResult run(Plan plan, Path chartDir) throws Exception {
    List<AtSize> measured = new ArrayList<>();
    try (TemporaSystem tempora = new TemporaSystem(temporaSettings);
        TemporalSystem temporal = new TemporalSystem(temporalSettings)) {
      // First SQS and DynamoDB calls in a cold JVM are several times slower, and both JIT-compile
      // their hot paths during the first few hundred workflows: neither is what we measure.
      log("warming up with %d workflows each", plan.warmup());
      tempora.run(plan.warmup(), "warmup", false);
      temporal.run(plan.warmup(), "warmup");
      for (int n : plan.sizes()) {
        AtSize at = new AtSize(n, new ArrayList<>(), new ArrayList<>());
        for (int r = 1; r <= plan.runs().get(n); r++) {
          TemporaSystem.Run t = tempora.run(n, "n" + n + "-r" + r, true);
          RunResult c = temporal.run(n, "n" + n + "-r" + r);
          log("N=%d run %d: tempora %.1f wf/s (p50 %.0f ms, p99 %.0f ms), temporal %.1f wf/s (p50 %.0f ms, p99 %.0f ms),"
              + " orchestration $%.3f/M steps", n, r, t.result().workflowsPerSecond(), t.result().latencyMillis(50),
              t.result().latencyMillis(99), c.workflowsPerSecond(), c.latencyMillis(50), c.latencyMillis(99),
              t.cost().orchestrationPerMillionSteps());
          at.tempora().add(t);
          at.temporal().add(c);
        }
        measured.add(at);
      }
    }
    return result(measured, chartDir);
  }

  private BenchResult result(List<AtSize> measured, Path chartDir) throws Exception {
    List<Figure> figures = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (AtSize at : measured) {
      String n = "N=" + at.n();
      List<RunResult> tempora = at.tempora().stream().map(TemporaSystem.Run::result).toList();
      figures.add(figure(NAME, "tempora wf/s " + n, "wf/s", tempora, RunResult::workflowsPerSecond));
      figures.add(figure(NAME, "temporal wf/s " + n, "wf/s", at.temporal(), RunResult::workflowsPerSecond));
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < tempora.size(); i++) {
        ratios.add(tempora.get(i).workflowsPerSecond() / at.temporal().get(i).workflowsPerSecond());
      }
      Figure ratio = new Figure(NAME, "tempora/temporal wf/s ratio " + n, "x", ratios);
      figures.add(ratio);
      figures.add(figure(NAME, "tempora activity steps/s " + n, "steps/s", tempora, RunResult::stepsPerSecond));
      figures.add(figure(NAME, "temporal activity steps/s " + n, "steps/s", at.temporal(), RunResult::stepsPerSecond));
      figures.add(figure(NAME, "tempora p50 latency " + n, "ms", tempora, r -> r.latencyMillis(50)));
      figures.add(figure(NAME, "temporal p50 latency " + n, "ms", at.temporal(), r -> r.latencyMillis(50)));
      figures.add(figure(NAME, "tempora p99 latency " + n, "ms", tempora, r -> r.latencyMillis(99)));
      figures.add(figure(NAME, "temporal p99 latency " + n, "ms", at.temporal(), r -> r.latencyMillis(99)));
      figures.add(figure(NAME, "tempora CPU per workflow " + n, "ms", tempora, RunResult::cpuMillisPerWorkflow));
      figures.add(figure(NAME, "temporal CPU per workflow " + n, "ms", at.temporal(), RunResult::cpuMillisPerWorkflow));
      if (at.n() == 1000) targets.add(new Target("throughput N=1000 >= 1.0x Temporal test service", ratio.median(), 1.0, true));
      if (at.n() == 5000) targets.add(new Target("throughput N=5000 >= 1.5x Temporal test service", ratio.median(), 1.5, true));
      costFigures(at, figures);
    }
    AtSize largest = measured.getLast();
    TemporaSystem.Run last = largest.tempora().getLast();
    Figure orchestration = figures.stream()
        .filter(f -> f.name().equals("orchestration $/M activity steps N=" + largest.n())).findFirst().orElseThrow();
    targets.add(new Target("orchestration <= $2.00 per million activity steps (N=" + largest.n() + ")",
        orchestration.median(), 2.0, false));
    double transactions = hotPathTransactions(last.calls());
    targets.add(new Target("no DynamoDB transactions on the hot path (N=" + largest.n() + ", last run)",
        transactions, 0, false));
    // The "one conditional write per step on the hot path": the coordinator's writes per
    // task, not counting the one run-record update per workflow when it closes (status, visibility).
    targets.add(new Target("one DynamoDB write per workflow task in the coordinator, besides one run-record update"
        + " per workflow at close (N=" + largest.n() + ", last run)",
        (coordinatorWrites(last.calls()) - last.result().workflows()) / last.workflowTasks(), 1.0, false));

    notes.addAll(settingsNotes());
    notes.add("AWS calls of the last Tempora run at N=" + largest.n() + " (components: the Lambda function a call was"
        + " made for, or the client):\n" + last.calls().table());
    notes.add("Cost of that run at us-east-1 on-demand prices (AwsPrices):\n" + last.cost().table());
    notes.addAll(costNotes(last));
    StringBuilder alt = new StringBuilder("Beside it, orchestration charges of other services for the same workload:");
    for (Alternatives.Quote q : Alternatives.quotes(dev.tempora.bench.e2e.BenchOrder.STEPS)) {
      alt.append(String.format("%n  %-26s $%8.2f per M activity steps (%s)", q.service(), q.perMillionSteps(),
          q.assumption()));
    }
    notes.add(alt.toString());
    List<Path> charts = List.of(chart(measured, chartDir));
    return new BenchResult(NAME, figures, targets, notes, charts);
  }

  private static void costFigures(AtSize at, List<Figure> figures) {
    String n = "N=" + at.n();
    List<TemporaSystem.Run> runs = at.tempora();
    figures.add(costFigure("orchestration $/M activity steps " + n, "$/M steps", runs,
        r -> r.cost().orchestrationPerMillionSteps()));
    for (String service : runs.getFirst().cost().orchestrationPerMillionStepsByService().keySet()) {
      figures.add(costFigure(service + " $/M activity steps " + n, "$/M steps", runs,
          r -> r.cost().orchestrationPerMillionStepsByService().getOrDefault(service, 0.0)));
    }
    for (String service : runs.getFirst().cost().requestsPerStepByService().keySet()) {
      String unit = service.equals("DynamoDB") ? "request units/step" : "requests/step";
      figures.add(costFigure(service + " " + unit + " " + n, unit, runs,
          r -> r.cost().requestsPerStepByService().getOrDefault(service, 0.0)));
    }
    figures.add(costFigure("AWS API calls per activity step " + n, "calls/step", runs,
        r -> r.calls().filter(row -> !row.component().equals(TemporaSystem.CLIENT_RESULT) && !CostModel.free(row))
            .sum(AwsCallRecorder.Row::calls) / (double) r.cost().activitySteps()));
    figures.add(costFigure("stream relay invocations per workflow " + n, "invocations/wf", runs,
        r -> r.relay().invocations() / (double) r.result().workflows()));
    figures.add(costFigure("stream relay records per workflow " + n, "records/wf", runs,
        r -> r.relayRecords() / (double) r.result().workflows()));
    figures.add(costFigure("coordinator DynamoDB writes per workflow task " + n, "writes/task", runs,
        r -> coordinatorWrites(r.calls()) / r.workflowTasks()));
    figures.add(costFigure("workflow tasks per workflow " + n, "tasks/wf", runs,
        r -> r.workflowTasks() / (double) r.result().workflows()));
    figures.add(costFigure("DynamoDB transactions on the hot path " + n, "calls", runs,
        r -> hotPathTransactions(r.calls())));
  }

  /** DynamoDB write calls made by the coordinator function (the workflow-task hot path). */
  static double coordinatorWrites(CallCounts calls) {
    return calls.filter(r -> r.component().equals(COORDINATOR_FUNCTION) && r.service().equals("DynamoDb")
        && !AwsCallRecorder.isRead(r.operation())).sum(AwsCallRecorder.Row::calls);
  }

  /** TransactWriteItems/TransactGetItems made by the engine's functions (client starts excluded). */
  static double hotPathTransactions(CallCounts calls) {
    return calls.filter(r -> !r.component().startsWith("client") && r.operation().startsWith("Transact"))
        .sum(AwsCallRecorder.Row::calls);
  }

  private List<String> settingsNotes() {
    List<String> notes = new ArrayList<>();
    notes.add(String.format("Machine: %d cores, %s %s; both systems in this JVM, measured alternately after a warm-up.",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version")));
    notes.add(String.format("Tempora: devserver (DynamoDB Local over HTTP, ElasticMQ, Lambda SQS event-source stand-ins"
        + " running the real handlers, batch size 10); %d workflow-task pollers, %d activity pollers; every step"
        + " persisted to DynamoDB Local. Client with its own SDK clients, %d calls in flight.",
        temporaSettings.workflowPollers(), temporaSettings.activityPollers(), temporaSettings.clientConcurrency()));
    notes.add(String.format("Temporal: temporal-testing TestWorkflowEnvironment, real time (no time skipping); worker"
        + " with %d workflow-task and %d activity pollers, %d task slots each, sticky cache %d, virtual workflow"
        + " threads; %d client calls in flight. The test service keeps everything in memory (no persistence).",
        temporalSettings.workflowPollers(), temporalSettings.activityPollers(), temporalSettings.taskSlots(),
        temporalSettings.cacheSize(), temporalSettings.clientConcurrency()));
    notes.add("Workload: order saga happy path, 3 sequential activities with a start-to-close timeout, activities"
        + " returning a string; every result checked. Latency: start call to result at the client. CPU per workflow:"
        + " process CPU time over the run / N (engine, emulators and client alike; for Temporal, its test service).");
    return notes;
  }

  private static List<String> costNotes(TemporaSystem.Run run) {
    CallCounts c = run.calls();
    long reported = (long) c.sum(AwsCallRecorder.Row::reportedCapacityCalls);
    long computed = (long) c.sum(AwsCallRecorder.Row::computedCapacityCalls);
    List<String> notes = new ArrayList<>();
    notes.add(String.format("DynamoDB request units: %d calls with units reported by DynamoDB Local"
        + " (ReturnConsumedCapacity=TOTAL, set by the counting interceptor), %d computed from item sizes: reads that"
        + " find nothing (DynamoDB Local reports 0, DynamoDB bills its minimum) and every TransactWriteItems (DynamoDB"
        + " Local reports about 4x a plain write's units for them; DynamoDB bills twice the item's size on the table and"
        + " a plain write for each index entry).", reported, computed));
    notes.add("SQS: requests in 64 KB payload chunks (a batch billed on its total), FIFO $0.50/M and standard $0.40/M."
        + " Includes the event-source pollers' ReceiveMessage and DeleteMessageBatch: on AWS, Lambda's SQS event-source"
        + " polling is billed to the account as SQS requests. Idle pollers here long-poll for 1 s (Lambda uses 20 s),"
        + " so empty receives are over-counted a little against AWS.");
    notes.add("Lambda: one request per event-source batch invocation; GB-seconds from each handler's wall time here"
        + " (+1 ms per invocation for Lambda's rounding) at coordinator 1024 MB, activities 512 MB and stream relay"
        + " 512 MB. On AWS, handler time is dominated by network latency to DynamoDB and SQS instead of the shared CPU"
        + " here.");
    long free = (long) c.filter(CostModel::free).sum(AwsCallRecorder.Row::calls);
    notes.add(String.format("Stream relay (ADR 8): the devserver's stream poller hands each page of DynamoDB Local's"
        + " stream to the relay's handler; a page counts as one invocation if a record in it passes the deployment's"
        + " event filter (run inserts, closing-batch inserts, TTL removes; Lambda drops the rest free), %d"
        + " invocations for %d such records in this run. Lambda gathers up to 100 records for up to 1 s, so on AWS it"
        + " is invoked less often. The relay's GetItem, UpdateItem and SendMessageBatch calls are priced; the stream"
        + " reads (DescribeStream, GetShardIterator, GetRecords: free for a Lambda trigger) and the TTL stand-in's"
        + " deletes (DynamoDB's own TTL work, free) are counted, not priced: %d calls in this run.",
        run.relay().invocations(), run.relayRecords(), free));
    notes.add("Orchestration = everything but the activity methods' own compute (timed inside them): the activity"
        + " function's request charge and the rest of its duration (claim write, result send) are the engine's."
        + " Workflow starts (client: start) are priced; reading results (client: result) is counted but not priced.");
    notes.add(String.format("Hot path: %.0f coordinator DynamoDB writes for %d workflow tasks (%.2f per task); %.0f"
        + " transactions outside the client's start.", coordinatorWrites(c), run.workflowTasks(),
        coordinatorWrites(c) / run.workflowTasks(), hotPathTransactions(c)));
    return notes;
  }

  private static Figure figure(String bench, String name, String unit, List<RunResult> runs,
      ToDoubleFunction<RunResult> f) {
    return new Figure(bench, name, unit, runs.stream().map(r -> f.applyAsDouble(r)).toList());
  }

  private static Figure costFigure(String name, String unit, List<TemporaSystem.Run> runs,
      ToDoubleFunction<TemporaSystem.Run> f) {
    return new Figure(COST, name, unit, runs.stream().map(r -> f.applyAsDouble(r)).toList());
  }

  private static Path chart(List<AtSize> measured, Path chartDir) throws Exception {
    Files.createDirectories(chartDir);
    CategoryChart chart = new CategoryChartBuilder().width(800).height(500)
        .title("End-to-end throughput (median of runs)").xAxisTitle("workflows started concurrently (N)")
        .yAxisTitle("workflows/s").build();
    List<String> xs = measured.stream().map(a -> Integer.toString(a.n())).toList();
    Map<String, List<Double>> series = new LinkedHashMap<>();
    series.put("Tempora (embedded AWS stack, persisted)", measured.stream()
        .map(a -> figure(NAME, "", "", a.tempora().stream().map(TemporaSystem.Run::result).toList(),
            RunResult::workflowsPerSecond).median()).toList());
    series.put("Temporal test service (in memory)", measured.stream()
        .map(a -> figure(NAME, "", "", a.temporal(), RunResult::workflowsPerSecond).median()).toList());
    series.forEach((name, ys) -> chart.addSeries(name, xs, ys));
    Path file = chartDir.resolve("throughput.png");
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  private static void log(String format, Object... args) {
    System.err.printf("[throughput] " + format + "%n", args);
  }

  /**
   * Runs the benchmark alone: {@code [SMOKE|DEFAULT|FULL|N,N...] [chartDir]}, printing every
   * figure. A list of workflow counts runs each once after a warm-up of the first count (for
   * profiling one size).
   */
  public static void main(String[] args) throws Exception {
    String sizeArg = args.length > 0 ? args[0] : "DEFAULT";
    Path chartDir = Path.of(args.length > 1 ? args[1] : "target/bench-charts");
    ThroughputBenchmark bench = new ThroughputBenchmark();
    BenchResult r;
    if (Character.isDigit(sizeArg.charAt(0))) {
      List<Integer> sizes = java.util.Arrays.stream(sizeArg.split(",")).map(Integer::parseInt).toList();
      Map<Integer, Integer> runs = new LinkedHashMap<>();
      sizes.forEach(n -> runs.put(n, 1));
      r = bench.run(new Plan(sizes, runs, sizes.getFirst()), chartDir);
    } else {
      r = bench.run(BenchSize.valueOf(sizeArg.toUpperCase(java.util.Locale.ROOT)), chartDir);
    }
    print(r);
    // DynamoDB Local leaves non-daemon threads behind (see EmbeddedAws): exit explicitly.
    System.exit(0);
  }

  static void print(BenchResult r) {
    System.out.printf("%-52s %-18s %4s %12s %12s %12s%n", "figure", "unit", "runs", "min", "median", "max");
    for (Figure f : r.figures()) {
      System.out.printf("%-52s %-18s %4d %12.4f %12.4f %12.4f%n", "[" + f.benchmark() + "] " + f.name(), f.unit(),
          f.runs(), f.min(), f.median(), f.max());
    }
    for (Target t : r.targets()) {
      System.out.printf("%s %s: measured %.4f, limit %.4f%n", t.met() ? "MET   " : "MISSED", t.description(),
          t.measured(), t.limit());
    }
    r.notes().forEach(n -> System.out.println("- " + n));
    r.charts().forEach(c -> System.out.println("chart: " + c));
  }
}
