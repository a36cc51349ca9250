package dev.tempora.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.bench.BenchResult;
import dev.tempora.bench.BenchSize;
import dev.tempora.bench.Figure;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local-activity cost benchmark prices both kinds of step; local ones send nothing to an activity queue. */
class LocalActivityCostBenchmarkSmokeTest {

  @Test
  void smokeRunPricesBothKindsOfStep(@TempDir Path charts) throws Exception {
    BenchResult r = new LocalActivityCostBenchmark().run(BenchSize.SMOKE, charts);

    assertEquals("local-cost", r.benchmark());
    for (String kind : new String[] {"activity step", "local-activity step"}) {
      assertTrue(figure(r, kind + " orchestration $/M steps N=10").median() > 0, kind);
      assertTrue(figure(r, kind + " AWS API calls/step N=10").median() > 0, kind);
    }
    assertTrue(figure(r, "activity step activity-queue sends/step N=10").median() > 0);
    assertEquals(0.0, figure(r, "local-activity step activity-queue sends/step N=10").median());
    // Start task only: the three local activities and the completion are decided in one task.
    assertEquals(1.0, figure(r, "local-activity step workflow tasks/workflow N=10").median());
    assertTrue(figure(r, "activity step workflow tasks/workflow N=10").median() >= 4);
  }

  private static Figure figure(BenchResult r, String name) {
    return r.figures().stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no figure " + name + " in " + r.figures().stream().map(Figure::name).toList()));
  }
}
