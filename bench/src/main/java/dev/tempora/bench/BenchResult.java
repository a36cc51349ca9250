package dev.tempora.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What one benchmark hands to the suite: its figures, the targets it checked, free-form notes
 * (fairness caveats, what was counted how) and the charts it drew.
 */
public record BenchResult(String benchmark, List<Figure> figures, List<Target> targets, List<String> notes,
                          List<Path> charts) {

  public BenchResult {
    figures = List.copyOf(figures);
    targets = List.copyOf(targets);
    notes = List.copyOf(notes);
    charts = List.copyOf(charts);
  }
}
