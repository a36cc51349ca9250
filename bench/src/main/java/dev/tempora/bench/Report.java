package dev.tempora.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns suite results into text: the console listing and the markdown results section that
 * BENCHMARKS.md is built from. Pure formatting, no measuring.
 */
public final class Report {
  private Report() {}

  /** A failed or skipped benchmark, reported in place of its results. */
  public record Missing(String benchmark, String reason) {}

  /** Numbers as a reader wants them: thousands grouped, three significant digits when small. */
  public static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    double a = Math.abs(v);
    if (a >= 100 || v == Math.rint(v) && a < 1e15) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  public static String status(Target t) {
    return t.met() ? "MET" : "MISSED";
  }

  /** The console listing: every figure with runs and min/median/max, then ratios, then targets. */
  public static String console(String header, List<BenchResult> results, List<Missing> missing) {
    StringBuilder out = new StringBuilder(header).append('\n');
    List<Figure> ratios = new ArrayList<>();
    out.append(String.format(Locale.ROOT, "%n%-10s %-52s %-9s %4s %14s %14s %14s%n", "benchmark", "figure", "unit", "runs",
        "min", "median", "max"));
    for (BenchResult r : results) {
      for (Figure f : r.figures()) {
        if (isRatio(f)) {
          ratios.add(f);
          continue;
        }
        out.append(String.format(Locale.ROOT, "%-10s %-52s %-9s %4d %14s %14s %14s%n", f.benchmark(), f.name(),
            f.unit(), f.runs(), number(f.min()), number(f.median()), number(f.max())));
      }
    }
    if (!ratios.isEmpty()) {
      out.append("\nRatios (of medians measured in the same run)\n");
      for (Figure f : ratios) {
        out.append(String.format(Locale.ROOT, "%-10s %-52s %10sx%n", f.benchmark(), f.name(), number(f.median())));
      }
    }
    out.append("\nTargets\n");
    for (BenchResult r : results) {
      for (Target t : r.targets()) {
        out.append(String.format(Locale.ROOT, "%-7s %-10s %s: measured %s, limit %s%n", status(t), r.benchmark(),
            t.description(), number(t.measured()), number(t.limit())));
      }
    }
    for (Missing m : missing) {
      out.append(String.format(Locale.ROOT, "%-7s %-10s %s%n", "NO RUN", m.benchmark(), m.reason()));
    }
    return out.toString();
  }

  /**
   * The markdown results section: per benchmark a figure table, its targets, notes and charts
   * (linked relative to {@code reportDir}, where the markdown file lives).
   */
  public static String markdown(String header, List<BenchResult> results, List<Missing> missing, Path reportDir) {
    StringBuilder md = new StringBuilder();
    md.append(header).append("\n\n");
    md.append("| target | benchmark | measured | limit | result |\n|---|---|---:|---:|---|\n");
    for (BenchResult r : results) {
      for (Target t : r.targets()) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s %s | **%s** |%n", t.description(), r.benchmark(),
            number(t.measured()), t.atLeast() ? "≥" : "≤", number(t.limit()), status(t)));
      }
    }
    for (Missing m : missing) {
      md.append(String.format(Locale.ROOT, "| (%s did not run: %s) | %s | | | **NO RUN** |%n", m.benchmark(),
          m.reason().replace("|", "/"), m.benchmark()));
    }
    for (BenchResult r : results) {
      md.append("\n### ").append(r.benchmark()).append("\n\n");
      md.append("| figure | unit | runs | min | median | max |\n|---|---|---:|---:|---:|---:|\n");
      for (Figure f : r.figures()) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s |%n", f.name(), f.unit(), f.runs(),
            number(f.min()), number(f.median()), number(f.max())));
      }
      if (!r.notes().isEmpty()) {
        md.append('\n');
        for (String n : r.notes()) {
          md.append("- ").append(n).append('\n');
        }
      }
      for (Path chart : r.charts()) {
        String link = reportDir.toAbsolutePath().normalize().relativize(chart.toAbsolutePath().normalize()).toString()
            .replace('\\', '/');
        md.append("\n![").append(r.benchmark()).append("](").append(link).append(")\n");
      }
    }
    return md.toString();
  }

  /** Ratio figures (unit "x") are printed apart from the measured ones. */
  static boolean isRatio(Figure f) {
    return "x".equals(f.unit());
  }
}
