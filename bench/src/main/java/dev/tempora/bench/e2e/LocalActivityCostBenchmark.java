package dev.tempora.bench.e2e;

import dev.tempora.bench.BenchResult;
import dev.tempora.bench.BenchSize;
import dev.tempora.bench.Benchmark;
import dev.tempora.bench.Figure;
import dev.tempora.bench.Target;
import dev.tempora.bench.cost.AwsCallRecorder;
import dev.tempora.bench.cost.CostModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Issue 13: AWS requests and dollars per local-activity step beside the ordinary activity step.
 * The same order saga (three steps) runs on the embedded stack with its steps as activities (over
 * the activity queue and the activity function) and as local activities (inside the coordinator's
 * invocation, recorded as markers), alternately, priced by the throughput benchmark's cost model.
 */
public final class LocalActivityCostBenchmark implements Benchmark {
  static final String NAME = "local-cost";
  private static final String ACTIVITY = "activity step";
  private static final String LOCAL = "local-activity step";

  record Plan(int n, int runs, int warmup) {}

  static Plan plan(BenchSize size) {
    return switch (size) {
      case SMOKE -> new Plan(10, 1, 10);
      case DEFAULT -> new Plan(200, 3, 100);
      case FULL -> new Plan(1000, 3, 200);
    };
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BenchResult run(BenchSize size, Path chartDir) throws Exception {
    Plan plan = plan(size);
    List<TemporaSystem.Run> ordinary = new ArrayList<>();
    List<TemporaSystem.Run> local = new ArrayList<>();
    try (TemporaSystem tempora = new TemporaSystem(ThroughputBenchmark.TEMPORA)) {
      tempora.run(plan.warmup(), "warmup", false, false);
      tempora.run(plan.warmup(), "warmup-local", false, true);
      for (int r = 1; r <= plan.runs(); r++) {
        ordinary.add(tempora.run(plan.n(), "a" + plan.n() + "-r" + r, true, false));
        local.add(tempora.run(plan.n(), "la" + plan.n() + "-r" + r, true, true));
        System.err.printf("[local-cost] N=%d run %d: activity step $%.3f/M, local-activity step $%.3f/M%n", plan.n(), r,
            ordinary.getLast().cost().orchestrationPerMillionSteps(), local.getLast().cost().orchestrationPerMillionSteps());
      }
    }
    String n = " N=" + plan.n();
    List<Figure> figures = new ArrayList<>();
    for (String kind : List.of(ACTIVITY, LOCAL)) {
      List<TemporaSystem.Run> runs = kind.equals(LOCAL) ? local : ordinary;
      figures.add(figure(kind + " orchestration $/M steps" + n, "$/M steps", runs,
          r -> r.cost().orchestrationPerMillionSteps()));
      figures.add(figure(kind + " AWS API calls/step" + n, "calls/step", runs, LocalActivityCostBenchmark::callsPerStep));
      Set<String> services = new LinkedHashSet<>(ordinary.getFirst().cost().requestsPerStepByService().keySet());
      for (String service : services) {
        String unit = service.equals("DynamoDB") ? "request units/step" : "requests/step";
        figures.add(figure(kind + " " + service + " " + unit + n, unit, runs,
            r -> r.cost().requestsPerStepByService().getOrDefault(service, 0.0)));
      }
      figures.add(figure(kind + " activity-queue sends/step" + n, "sends/step", runs,
          LocalActivityCostBenchmark::activityQueueSendsPerStep));
      figures.add(figure(kind + " workflow tasks/workflow" + n, "tasks/wf", runs,
          r -> r.workflowTasks() / (double) r.result().workflows()));
      figures.add(figure(kind + " p50 latency" + n, "ms", runs, r -> r.result().latencyMillis(50)));
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < local.size(); i++) {
      ratios.add(local.get(i).cost().orchestrationPerMillionSteps() / ordinary.get(i).cost().orchestrationPerMillionSteps());
    }
    Figure ratio = new Figure(NAME, "local/ordinary orchestration $ per step" + n, "x", ratios);
    figures.add(ratio);
    List<Target> targets = List.of(
        new Target("a local-activity step costs less than an activity step (" + n.trim() + ")", ratio.median(), 1.0,
            false),
        new Target("no activity-queue message for local activities (" + n.trim() + ", last run)",
            activityQueueSendsPerStep(local.getLast()), 0, false));
    List<String> notes = List.of(
        "Workload: the throughput benchmark's order saga (3 sequential steps, activities returning a string),"
            + " N workflows started at once, run alternately with the steps as activities and as local activities"
            + " (LocalActivityOptions: start-to-close 30 s), on the embedded stack with the throughput benchmark's"
            + " pollers; priced with the same cost model (us-east-1 on-demand, AwsPrices).",
        "Local-activity steps: the code's own time is inside the coordinator's invocations and left out of"
            + " orchestration there, as the activity function's is for activity steps.",
        "Activity steps, last run:\n" + ordinary.getLast().cost().table(),
        "Local-activity steps, last run:\n" + local.getLast().cost().table(),
        "AWS calls of the last local-activity run:\n" + local.getLast().calls().table());
    return new BenchResult(NAME, figures, targets, notes, List.of());
  }

  /** Billed AWS API calls (free stream reads and the client's result reads left out) per step. */
  private static double callsPerStep(TemporaSystem.Run r) {
    return r.calls().filter(row -> !row.component().equals(TemporaSystem.CLIENT_RESULT) && !CostModel.free(row))
        .sum(AwsCallRecorder.Row::calls) / (double) r.cost().activitySteps();
  }

  private static double activityQueueSendsPerStep(TemporaSystem.Run r) {
    return r.calls().filter(row -> row.service().equals("Sqs") && row.operation().startsWith("SendMessage")
        && row.resource().contains("activities-")).sum(AwsCallRecorder.Row::calls) / (double) r.cost().activitySteps();
  }

  private static Figure figure(String name, String unit, List<TemporaSystem.Run> runs,
      ToDoubleFunction<TemporaSystem.Run> f) {
    return new Figure(NAME, name, unit, runs.stream().map(f::applyAsDouble).toList());
  }

  /** Runs it alone: {@code [SMOKE|DEFAULT|FULL]}, printing every figure. */
  public static void main(String[] args) throws Exception {
    BenchSize size = BenchSize.valueOf((args.length > 0 ? args[0] : "DEFAULT").toUpperCase(java.util.Locale.ROOT));
    ThroughputBenchmark.print(new LocalActivityCostBenchmark().run(size, Path.of("target/bench-charts")));
    System.exit(0);
  }
}
