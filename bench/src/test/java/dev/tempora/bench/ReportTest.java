package dev.tempora.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void figureStatistics() {
    Figure odd = Figure.of("b", "f", "ms", 5, 1, 3);
    assertEquals(3, odd.median());
    assertEquals(1, odd.min());
    assertEquals(5, odd.max());
    assertEquals(3, odd.runs());
    assertEquals(2.5, Figure.of("b", "f", "ms", 4, 1, 3, 2).median());
  }

  @Test
  void numbersAreReadable() {
    assertEquals("125,913", Report.number(125_912.7));
    assertEquals("12.35", Report.number(12.345));
    assertEquals("0.894", Report.number(0.89412));
    assertEquals("3", Report.number(3.0));
    assertEquals("0", Report.number(0));
  }

  @Test
  void consoleAndMarkdownListFiguresRatiosAndTargets() {
    BenchResult r = new BenchResult("replay",
        List.of(Figure.of("replay", "tempora events/s @1000", "events/s", 100, 300, 200),
            Figure.of("replay", "events/s ratio tempora/temporal @1000", "x", 4.5)),
        List.of(new Target("fast", 4.5, 3, true), new Target("small", 10, 2, false)),
        List.of("a note"), List.of(Path.of("/out/docs/bench/replay.png")));
    List<Report.Missing> missing = List.of(new Report.Missing("cost", "not in this build"));

    String console = Report.console("header", List.of(r), missing);
    assertTrue(console.contains("tempora events/s @1000") && console.contains("100") && console.contains("200")
        && console.contains("300"), console);
    assertTrue(console.contains("Ratios") && console.contains("4.50x"), console);
    assertTrue(console.contains("MET     replay     fast") && console.contains("MISSED  replay     small"), console);
    assertTrue(console.contains("NO RUN  cost"), console);

    String md = Report.markdown("header", List.of(r), missing, Path.of("/out"));
    assertTrue(md.contains("| tempora events/s @1000 | events/s | 3 | 100 | 200 | 300 |"), md);
    assertTrue(md.contains("| fast | replay | 4.50 | ≥ 3 | **MET** |"), md);
    assertTrue(md.contains("| small | replay | 10 | ≤ 2 | **MISSED** |"), md);
    assertTrue(md.contains("![replay](docs/bench/replay.png)"), md);
    assertTrue(md.contains("- a note"), md);
  }

  @Test
  void arguments() {
    BenchMain.Args a = BenchMain.Args.parse("--full", "--only", "replay,memory", "--out", "x");
    assertEquals(BenchSize.FULL, a.size());
    assertEquals(Set.of("replay", "memory"), a.only());
    assertEquals(Path.of("x"), a.out());
    assertEquals(BenchSize.DEFAULT, BenchMain.Args.parse().size());
    assertThrows(IllegalArgumentException.class, () -> BenchMain.Args.parse("--fast"));
    assertThrows(IllegalArgumentException.class, () -> BenchMain.Args.parse("--only"));
  }

  @Test
  void templateHasTheResultsMark() throws Exception {
    assertTrue(BenchMain.template().contains(BenchMain.RESULTS_MARK));
  }
}
