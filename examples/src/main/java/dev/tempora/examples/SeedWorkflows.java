package dev.tempora.examples;

import dev.tempora.history.HistoryEvent;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every seed scenario end to end, each in a fresh test environment with a fixed id seed and
 * start time (so the output is the same on every run), and prints each workflow's history and
 * result. Exits with status 1 if any scenario did not produce its expected result.
 *
 * <p>{@code mvn -q exec:java -pl examples} (or {@code bin/demo}); arguments, if any, select scenarios by name.
 */
public final class SeedWorkflows {
  private SeedWorkflows() {}

  public static void main(String[] args) {
    List<String> selected = Stream.of(args).filter(a -> !a.isBlank()).toList();
    int failed = run(selected, System.out);
    if (failed > 0) {
      System.exit(1);
    }
  }

  /** Runs the selected scenarios (all if none); returns how many did not produce their expected result. */
  public static int run(List<String> selected, PrintStream out) {
    List<String> summary = new ArrayList<>();
    int failed = 0;
    int ran = 0;
    for (SeedScenario s : SeedScenarios.all()) {
      if (!selected.isEmpty() && !selected.contains(s.name())) {
        continue;
      }
      ran++;
      out.println("=== " + s.name() + " (workflow " + s.workflowId() + ")");
      out.println("    " + s.description());
      List<String> problems;
      try {
        ScenarioRunner.Execution run = ScenarioRunner.run(s);
        for (HistoryEvent e : run.history()) {
          out.printf("  %3d  %s  %s%n", e.eventId(), e.timestamp(), e.event().describe());
        }
        Outcome o = run.outcome();
        out.println("  activity calls: " + String.join("; ", o.activityCalls()));
        if (!o.observations().isEmpty()) {
          out.println("  queries:        " + String.join("; ", o.observations()));
        }
        out.println(o.isFailure() ? "  failure:        " + o.failure() : "  result:         " + o.result());
        problems = s.check(o);
      } catch (RuntimeException | Error e) {
        problems = List.of("threw " + e);
      }
      if (problems.isEmpty()) {
        out.println("  check:          OK");
        summary.add(s.name() + " OK");
      } else {
        failed++;
        problems.forEach(p -> out.println("  check FAILED:   " + p));
        summary.add(s.name() + " FAILED");
      }
      out.println();
    }
    if (ran == 0) {
      out.println("no scenario named " + selected + "; known: "
          + SeedScenarios.all().stream().map(SeedScenario::name).toList());
      return 1;
    }
    out.println("Summary: " + (ran - failed) + "/" + ran + " scenarios produced their expected results ("
        + String.join(", ", summary) + ")");
    return failed;
  }
}
