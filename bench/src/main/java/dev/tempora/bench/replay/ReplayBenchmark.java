package dev.tempora.bench.replay;

import dev.tempora.bench.BenchResult;
import dev.tempora.bench.BenchSize;
import dev.tempora.bench.Benchmark;
import dev.tempora.bench.Charts;
import dev.tempora.bench.Figure;
import dev.tempora.bench.Target;
import dev.tempora.history.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Replay speed (issue 4, item 2): replays a recorded history of the {@link TemporaSteps} shape
 * from a cold runner with Tempora's {@code WorkflowReplayer}, and a history of the same shape and
 * size with Temporal's, in one JMH run. Reports events/s for both, activity steps/s (a Temporal
 * step takes twice the events of a Tempora step, so events/s alone flatters Temporal's side less
 * than it looks: steps/s is the stricter comparison) and the ratios.
 */
public final class ReplayBenchmark implements Benchmark {
  static final String NAME = "replay";

  /** History sizes per suite size; the last one is the one the target is judged on. */
  static int[] sizes(BenchSize size) {
    return switch (size) {
      case SMOKE -> new int[] {300};
      case DEFAULT -> new int[] {1_000, 10_000};
      case FULL -> new int[] {1_000, 10_000, 30_000};
    };
  }

  private record Recorded(int events, int temporaEvents, int temporaSteps, int temporalEvents, int temporalSteps) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BenchResult run(BenchSize size, Path chartDir) throws Exception {
    Path dir = Files.createTempDirectory("tempora-replay-");
    List<Recorded> recorded;
    Collection<RunResult> results;
    try {
      recorded = record(sizes(size), dir);
      results = new Runner(options(size, dir, recorded)).run();
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }

    // events -> system -> ms per replay, one sample per measured iteration (all forks)
    Map<Integer, Map<String, List<Double>>> millis = new LinkedHashMap<>();
    for (RunResult r : results) {
      String method = r.getParams().getBenchmark();
      String system = method.substring(method.lastIndexOf('.') + 1);
      int events = Integer.parseInt(r.getParams().getParam("events"));
      List<Double> samples = millis.computeIfAbsent(events, k -> new LinkedHashMap<>())
          .computeIfAbsent(system, k -> new ArrayList<>());
      for (BenchmarkResult fork : r.getBenchmarkResults()) {
        for (IterationResult it : fork.getIterationResults()) {
          samples.add(it.getPrimaryResult().getScore());
        }
      }
    }

    List<Figure> figures = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    List<String> categories = new ArrayList<>();
    Map<String, List<Double>> chart = new LinkedHashMap<>();
    for (Recorded rec : recorded) {
      Map<String, List<Double>> bySystem = millis.get(rec.events());
      Figure ta = rate("tempora events/s", rec.events(), rec.temporaEvents(), bySystem.get("tempora"));
      Figure tl = rate("temporal events/s", rec.events(), rec.temporalEvents(), bySystem.get("temporal"));
      double eventRatio = ta.median() / tl.median();
      // Steps/s ratio = events/s ratio scaled by how many events one step takes on each side.
      double stepRatio = eventRatio * ((double) rec.temporaSteps() / rec.temporaEvents())
          / ((double) rec.temporalSteps() / rec.temporalEvents());
      figures.add(ta);
      figures.add(tl);
      figures.add(Figure.of(NAME, "events/s ratio tempora/temporal @" + rec.events(), "x", eventRatio));
      figures.add(Figure.of(NAME, "steps/s ratio tempora/temporal @" + rec.events(), "x", stepRatio));
      categories.add(String.format("%,d events", rec.events()));
      chart.computeIfAbsent("Tempora", k -> new ArrayList<>()).add(ta.median());
      chart.computeIfAbsent("Temporal", k -> new ArrayList<>()).add(tl.median());
      if (rec == recorded.getLast()) {
        String which = switch (size) {
          case FULL -> "";
          case DEFAULT -> " (default size: the issue's 30,000-event history runs with --full)";
          case SMOKE -> " (smoke size)";
        };
        targets.add(new Target(String.format("replay events/s >= 3x Temporal's WorkflowReplayer @%,d events%s",
            rec.events(), which), eventRatio, 3.0, true));
      }
    }
    List<Path> charts = List.of(Charts.bars(chartDir.resolve("replay-events-per-second.png"),
        "Replay from a cold runner (higher is better)", "events/s", categories, chart));

    List<String> notes = new ArrayList<>();
    notes.add("Shape: a loop of sequential activity calls with a 1 s timer after every " + HistoryRecorder.TIMER_EVERY
        + "th step, the same code on both SDKs (TemporaSteps / TemporalSteps); histories recorded by running it on "
        + "Tempora's in-memory TestWorkflowEnvironment and on Temporal's in-process test service.");
    for (Recorded rec : recorded) {
      notes.add(String.format("@%,d: Tempora history %,d events (%,d steps: 3 events per step, 3 per timer), "
              + "Temporal history %,d events (%,d steps: 6 events per step, 5 per timer)", rec.events(),
          rec.temporaEvents(), rec.temporaSteps(), rec.temporalEvents(), rec.temporalSteps()));
    }
    notes.add("Each operation replays the whole history from a fresh runner: Tempora's "
        + "dev.tempora.testing.WorkflowReplayer.replayWorkflowExecution(history, class); Temporal's "
        + "WorkflowReplayer.replayWorkflowExecution(history, worker) with the worker built once per trial (its "
        + "class-taking overload also builds a test environment per call, which would not be replay time).");
    notes.add("JMH: " + describe(size));
    return new BenchResult(NAME, figures, targets, notes, charts);
  }

  private static Figure rate(String what, int nominal, int events, List<Double> millisPerReplay) {
    if (millisPerReplay == null || millisPerReplay.isEmpty()) {
      throw new IllegalStateException("JMH produced no result for " + what + " @" + nominal);
    }
    List<Double> perSecond = millisPerReplay.stream().map(ms -> events / (ms / 1000.0)).toList();
    return new Figure(NAME, what + " @" + nominal, "events/s", perSecond);
  }

  /** Records each size once per system, calibrating step counts so both histories hit the size. */
  private static List<Recorded> record(int[] sizes, Path dir) throws Exception {
    List<Recorded> out = new ArrayList<>();
    try (HistoryRecorder r = new HistoryRecorder()) {
      int ta20 = r.recordTempora(20).size();
      int ta40 = r.recordTempora(40).size();
      int tl20 = r.recordTemporal(20).getEvents().size();
      int tl40 = r.recordTemporal(40).getEvents().size();
      for (int events : sizes) {
        int taSteps = HistoryRecorder.stepsFor(events, ta20, ta40);
        int tlSteps = HistoryRecorder.stepsFor(events, tl20, tl40);
        List<HistoryEvent> ta = r.recordTempora(taSteps);
        WorkflowExecutionHistory tl = r.recordTemporal(tlSteps);
        HistoryRecorder.writeTempora(ta, dir.resolve("tempora-" + events + ".json"));
        HistoryRecorder.writeTemporal(tl, dir.resolve("temporal-" + events + ".json"));
        out.add(new Recorded(events, ta.size(), taSteps, tl.getEvents().size(), tlSteps));
      }
    }
    return out;
  }

  private static int forks(BenchSize size) {
    // A fork needs a plain `java -cp` classpath (bin/bench gives one); tests and SMOKE run in-process.
    int d = switch (size) {
      case SMOKE -> 0;
      case DEFAULT -> 1;
      case FULL -> 2;
    };
    return Integer.getInteger("tempora.bench.forks", d);
  }

  private static String describe(BenchSize size) {
    return switch (size) {
      case SMOKE -> "in-process (0 forks), 1 warm-up and 2 measured iterations of 100 ms";
      case DEFAULT -> forks(size) + " fork(s), 2 warm-up and 3 measured iterations of 1 s";
      case FULL -> forks(size) + " fork(s), 3 warm-up and 5 measured iterations of 2 s";
    } + "; one sample per measured iteration (its mean time per replay). An iteration lasts at least one replay.";
  }

  private static org.openjdk.jmh.runner.options.Options options(BenchSize size, Path dir, List<Recorded> recorded) {
    String[] events = recorded.stream().map(r -> Integer.toString(r.events())).toArray(String[]::new);
    ChainedOptionsBuilder o = new OptionsBuilder()
        .include(ReplayJmh.class.getName() + "\\.")
        .param("dir", dir.toString())
        .param("events", events)
        .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
        .timeUnit(TimeUnit.MILLISECONDS)
        .forks(forks(size))
        .shouldFailOnError(true);
    switch (size) {
      case SMOKE -> o.warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
          .measurementIterations(2).measurementTime(TimeValue.milliseconds(100));
      case DEFAULT -> o.warmupIterations(2).warmupTime(TimeValue.seconds(1))
          .measurementIterations(3).measurementTime(TimeValue.seconds(1));
      case FULL -> o.warmupIterations(3).warmupTime(TimeValue.seconds(2))
          .measurementIterations(5).measurementTime(TimeValue.seconds(2));
    }
    if (forks(size) > 0) {
      // Same heap for every fork; the replays themselves need little.
      o.jvmArgsAppend("-Xms1g", "-Xmx1g");
    }
    return o.build();
  }
}
