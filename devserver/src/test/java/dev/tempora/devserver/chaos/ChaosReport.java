package dev.tempora.devserver.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a chaos run found, and its rendering for people: outcomes by kind and window, the
 * failures each with a diagnosis, activity attempts that ran twice, and the faults injected.
 *
 * <p>Outcomes: {@code closed} (the run record says closed), {@code lost} (started, not closed at
 * the end, and nothing says why: no task failure on the run), {@code stuck} (started, not closed,
 * parked with a task failure that describe shows), {@code not started} (the client's start failed
 * before anything was recorded, which is correct). {@code corrupted} is independent of the
 * outcome: the history or the run record broke a rule of {@link HistoryChecker}.
 */
record ChaosReport(
    ChaosSettings settings,
    Duration elapsed,
    List<Verdict> verdicts,
    Attempts attempts,
    Faults faults,
    Map<String, Long> deadLetters,
    int clockMoves,
    long workflowTasks) {

  enum Outcome { CLOSED, LOST, STUCK, NOT_STARTED }

  /**
   * One workflow's end state. {@code cause} (failures only) names what went wrong in a few words,
   * the same for workflows that failed the same way; {@code diagnosis} gives the details.
   */
  record Verdict(ChaosPlan plan, Outcome outcome, List<String> violations, String cause, List<String> diagnosis) {
    boolean corrupted() {
      return !violations.isEmpty();
    }

    boolean failed() {
      return outcome == Outcome.LOST || outcome == Outcome.STUCK || corrupted();
    }
  }

  /** Activity attempts: distinct, executions, and those run more than once (by activity type). */
  record Attempts(int distinct, long executions, int runTwiceOrMore, long extraRuns, Map<String, Long> repeatedByType) {}

  /** Everything injected: AWS faults by window and kind, by operation, by label; kills; duplicates; windows. */
  record Faults(long awsCallsInScope, Map<String, Long> awsByKind, Map<String, Long> awsByOperation,
      Map<String, Long> awsByLabel, Map<String, Long> hooks, long workerStalls, Map<String, Long> duplicateDeliveries,
      Map<ChaosWindow, Long> windowsPlanned) {}

  long count(Outcome o) {
    return verdicts.stream().filter(v -> v.outcome() == o).count();
  }

  long lost() {
    return count(Outcome.LOST);
  }

  long stuck() {
    return count(Outcome.STUCK);
  }

  long corrupted() {
    return verdicts.stream().filter(Verdict::corrupted).count();
  }

  boolean clean() {
    return lost() == 0 && stuck() == 0 && corrupted() == 0;
  }

  String render() {
    return render(Integer.MAX_VALUE);
  }

  /** The report with at most {@code maxFailures} failures listed in detail. */
  String render(int maxFailures) {
    StringBuilder b = new StringBuilder();
    b.append("Chaos run: ").append(settings.summary()).append('\n');
    b.append("  took ").append(elapsed.toSeconds()).append(" s; ").append(fmt(workflowTasks)).append(" workflow tasks; clock moved 7 days ")
        .append(clockMoves).append(" times\n\n");

    b.append("Outcome of ").append(verdicts.size()).append(" workflows\n");
    b.append(line("closed", count(Outcome.CLOSED), "of which " + verdicts.stream()
        .filter(v -> v.outcome() == Outcome.CLOSED && !v.corrupted()).count() + " correct"));
    b.append(line("lost", lost(), "started, not closed, nothing says why"));
    b.append(line("stuck", stuck(), "started, not closed, parked with a task failure"));
    b.append(line("not started", count(Outcome.NOT_STARTED), "the start failed before anything was recorded (correct)"));
    b.append(line("corrupted", corrupted(), "history or run record broke a rule (any outcome)"));
    b.append('\n');

    b.append(table("By seed kind", v -> v.plan().kind().label));
    b.append(table("By window", v -> v.plan().window().description));

    b.append("Activity attempts: ").append(fmt(attempts.distinct())).append(" distinct, ").append(fmt(attempts.executions()))
        .append(" executions; run more than once: ").append(attempts.runTwiceOrMore()).append(" attempts (")
        .append(attempts.extraRuns()).append(" extra runs)");
    if (!attempts.repeatedByType().isEmpty()) b.append(" by type ").append(attempts.repeatedByType());
    b.append("\n\n");

    b.append("Faults injected (AWS calls by the engine and the chaos clients: ").append(fmt(faults.awsCallsInScope())).append(")\n");
    b.append("  AWS calls by window and kind: ").append(faults.awsByKind()).append('\n');
    b.append("  AWS calls by operation:       ").append(faults.awsByOperation()).append('\n');
    b.append("  AWS calls by rule:            ").append(faults.awsByLabel()).append('\n');
    b.append("  coordinator kills and races:  ").append(faults.hooks()).append('\n');
    b.append("  activity workers stalled past the visibility timeout: ").append(faults.workerStalls()).append('\n');
    b.append("  duplicate deliveries:         ").append(faults.duplicateDeliveries()).append('\n');
    b.append("  windows planned:              ").append(faults.windowsPlanned()).append('\n');
    b.append("Dead-letter queues at the end:  ").append(deadLetters).append("\n\n");

    List<Verdict> failures = verdicts.stream().filter(Verdict::failed).toList();
    if (failures.isEmpty()) {
      b.append("No failures: 0 lost, 0 stuck, 0 corrupted.\n");
    } else {
      b.append("Failures by cause\n");
      failures.stream().collect(Collectors.groupingBy(Verdict::cause, TreeMap::new, Collectors.counting()))
          .forEach((cause, count) -> b.append(String.format(Locale.ROOT, "  %5d  %s%n", count, cause)));
      b.append('\n');
      b.append("Failures (").append(failures.size()).append(")\n");
      for (Verdict v : failures.subList(0, Math.min(maxFailures, failures.size()))) {
        List<String> tags = new ArrayList<>();
        if (v.outcome() == Outcome.LOST || v.outcome() == Outcome.STUCK) tags.add(v.outcome().name());
        if (v.corrupted()) tags.add("CORRUPTED");
        b.append("- ").append(String.join("+", tags)).append(' ').append(v.plan()).append(": ").append(v.cause()).append('\n');
        v.violations().forEach(x -> b.append("    violation: ").append(x).append('\n'));
        v.diagnosis().forEach(x -> b.append("    ").append(x).append('\n'));
      }
      if (failures.size() > maxFailures) {
        b.append("... and ").append(failures.size() - maxFailures).append(" more in the report file\n");
      }
    }
    return b.toString();
  }

  private String table(String title, Function<Verdict, String> key) {
    Map<String, List<Verdict>> groups = verdicts.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
    StringBuilder b = new StringBuilder(title).append('\n');
    b.append(String.format(Locale.ROOT, "  %-62s %6s %6s %6s %6s %9s%n", "", "total", "closed", "lost", "stuck", "corrupted"));
    groups.forEach((k, list) -> b.append(String.format(Locale.ROOT, "  %-62s %6d %6d %6d %6d %9d%n", k, list.size(),
        n(list, v -> v.outcome() == Outcome.CLOSED), n(list, v -> v.outcome() == Outcome.LOST),
        n(list, v -> v.outcome() == Outcome.STUCK), n(list, Verdict::corrupted))));
    return b.append('\n').toString();
  }

  private static long n(List<Verdict> list, Predicate<Verdict> p) {
    return list.stream().filter(p).count();
  }

  private static String line(String name, long n, String what) {
    return String.format(Locale.ROOT, "  %-12s %6d  %s%n", name, n, what);
  }

  private static String fmt(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static Map<ChaosWindow, Long> windowCounts(List<ChaosPlan> plans) {
    Map<ChaosWindow, Long> out = new EnumMap<>(ChaosWindow.class);
    plans.forEach(p -> out.merge(p.window(), 1L, Long::sum));
    out.remove(ChaosWindow.NONE);
    return out;
  }
}
