package dev.tempora.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.bench.growth.GrowthBenchmark;
import dev.tempora.bench.memory.MemoryBenchmark;
import dev.tempora.bench.replay.ReplayBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each micro benchmark starts and produces a result at the smoke size (JMH in-process). Checks
 * shape, not speed: figures present with finite non-negative samples, measured quantities
 * positive, every target evaluated, every chart written.
 */
class MicroBenchmarksSmokeTest {
  /** Units of figures that measure something that cannot be zero (counts like items read can). */
  private static final Set<String> POSITIVE = Set.of("events/s", "ms", "x");

  @TempDir
  Path charts;

  @Test
  void replay() throws Exception {
    BenchResult r = check(new ReplayBenchmark(), 4);
    assertTrue(r.figures().stream().anyMatch(f -> f.name().startsWith("temporal events/s")), "Temporal side measured");
  }

  @Test
  void growth() throws Exception {
    BenchResult r = check(new GrowthBenchmark(), 8);
    // A cold task replays the whole history: it must read items, and more at the later step.
    Figure early = find(r, "cold history items read/task @step 5");
    Figure late = find(r, "cold history items read/task @step 20");
    assertTrue(early.median() > 0 && late.median() > early.median(), "cold reads grow with history: " + early + " " + late);
  }

  @Test
  void memory() throws Exception {
    BenchResult r = check(new MemoryBenchmark(), 2);
    assertTrue(find(r, "heap per cached runner (K=200)").median() > 0, "a cached runner takes heap");
  }

  private BenchResult check(Benchmark b, int minFigures) throws Exception {
    BenchResult r = b.run(BenchSize.SMOKE, charts);
    assertTrue(r.figures().size() >= minFigures, b.name() + " figures: " + r.figures());
    assertFalse(r.targets().isEmpty(), b.name() + " checks its targets");
    for (Figure f : r.figures()) {
      for (double v : f.samples()) {
        assertTrue(Double.isFinite(v) && v >= 0, f + " has a bad sample " + v);
      }
      if (POSITIVE.contains(f.unit()) || f.unit().equals("KB")) {
        assertTrue(f.min() > 0, f + " must be positive");
      }
    }
    for (Target t : r.targets()) {
      assertTrue(Double.isFinite(t.measured()) && t.measured() > 0, t + " measured");
    }
    for (Path chart : r.charts()) {
      assertTrue(Files.size(chart) > 1000, "chart written: " + chart);
    }
    return r;
  }

  private static Figure find(BenchResult r, String name) {
    return r.figures().stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no figure '" + name + "' in " + r.figures()));
  }
}
