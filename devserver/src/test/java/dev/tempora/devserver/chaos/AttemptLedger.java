package dev.tempora.devserver.chaos;

import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many times each activity attempt ran, keyed by (run, activity id, attempt): the instrumented
 * activities record every execution, so the suite can count attempts run twice (at-least-once
 * delivery) and check that every outcome in a history came from an attempt that really ran.
 */
final class AttemptLedger {
  record Attempt(String workflowId, String runId, long seq, int attempt) {}

  private final Map<Attempt, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final Map<Attempt, String> types = new ConcurrentHashMap<>();

  /** Records an execution of the attempt running on the current thread. */
  void recordCurrent() {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    record(info.workflowId(), info.runId(), Long.parseLong(info.activityId()), info.attempt(), info.activityType());
  }

  void record(String workflowId, String runId, long seq, int attempt, String activityType) {
    Attempt a = new Attempt(workflowId, runId, seq, attempt);
    types.putIfAbsent(a, activityType);
    runs.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet();
  }

  int executions(String workflowId, String runId, long seq, int attempt) {
    AtomicInteger n = runs.get(new Attempt(workflowId, runId, seq, attempt));
    return n == null ? 0 : n.get();
  }

  /** Attempts run more than once, with how many times. */
  Map<Attempt, Integer> duplicates() {
    Map<Attempt, Integer> out = new TreeMap<>(Comparator.comparing(Attempt::workflowId)
        .thenComparing(Attempt::runId).thenComparingLong(Attempt::seq).thenComparingInt(Attempt::attempt));
    runs.forEach((a, n) -> {
      if (n.get() > 1) out.put(a, n.get());
    });
    return out;
  }

  String type(Attempt a) {
    return types.get(a);
  }

  /** Distinct attempts that ran. */
  int attempts() {
    return runs.size();
  }

  /** Executions, repeats included. */
  long executions() {
    return runs.values().stream().mapToLong(AtomicInteger::get).sum();
  }

  List<Attempt> attemptsOf(String workflowId) {
    return runs.keySet().stream().filter(a -> a.workflowId().equals(workflowId)).toList();
  }
}
