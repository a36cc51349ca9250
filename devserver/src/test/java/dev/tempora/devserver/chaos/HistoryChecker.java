package dev.tempora.devserver.chaos;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.coordinator.HistoryTruth;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks one run's stored history, batch by batch, against what every history must be and what
 * its workflow must produce. The violations it names make a history "corrupted":
 * <ul>
 *   <li>batch seqs contiguous from 1, event ids contiguous from 1, the start event first;
 *   <li>exactly one closing event, and it is the last event;
 *   <li>every activity scheduled once per seq and resolved (completed, failed, timed out or
 *       canceled) at most once, and exactly once if the workflow completed or failed; an outcome
 *       only for a scheduled activity, and only from an attempt a worker really ran (the ledger);
 *   <li>every timer started once per seq, fired or canceled at most once;
 *   <li>the run record's status says what the history says (open: RUNNING; closed: the closing
 *       event's status);
 *   <li>the result is the seed kind's expected one ({@link SeedKind#check}); a terminate only
 *       where the chaos driver sent one.
 * </ul>
 */
final class HistoryChecker {
  private HistoryChecker() {}

  static List<HistoryEvent> events(List<HistoryBatch> batches) {
    List<HistoryEvent> out = new ArrayList<>();
    batches.forEach(b -> out.addAll(b.events()));
    return out;
  }

  static List<String> check(ChaosPlan plan, RunRecord record, List<HistoryBatch> batches, AttemptLedger ledger) {
    List<String> v = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      if (batches.get(i).seq() != i + 1) {
        v.add("batch seqs not contiguous: position " + (i + 1) + " holds batch " + batches.get(i).seq());
        break;
      }
    }
    List<HistoryEvent> h = events(batches);
    for (int i = 0; i < h.size(); i++) {
      if (h.get(i).eventId() != i + 1) {
        v.add("event ids not contiguous: position " + (i + 1) + " holds event " + h.get(i).eventId());
        break;
      }
    }
    if (h.isEmpty()) {
      if (record != null && record.status().isClosed()) v.add("run record is " + record.status() + " but the history is empty");
      return v;
    }
    if (!(h.getFirst().event() instanceof Event.WorkflowExecutionStarted)) {
      v.add("first event is " + h.getFirst().event().describe() + ", not WorkflowExecutionStarted");
    }
    long starts = h.stream().filter(e -> e.event() instanceof Event.WorkflowExecutionStarted).count();
    if (starts > 1) v.add(starts + " WorkflowExecutionStarted events");

    List<HistoryEvent> closings = h.stream().filter(e -> HistoryBatch.isClosing(e.event())).toList();
    if (closings.size() > 1) {
      v.add(closings.size() + " closing events: " + closings.stream().map(HistoryEvent::toString).toList());
    } else if (closings.size() == 1 && closings.getFirst() != h.getLast()) {
      v.add("events after the closing event " + closings.getFirst() + ": "
          + h.subList(h.indexOf(closings.getFirst()) + 1, h.size()).stream().map(HistoryEvent::toString).toList());
    }
    Event closing = closings.isEmpty() ? null : closings.getFirst().event();

    checkCommands(h, closing, v);
    checkOutcomesRan(plan, record, h, ledger, v);

    if (record != null) {
      WorkflowExecutionStatus fromHistory = closing == null ? WorkflowExecutionStatus.RUNNING : HistoryTruth.statusOf(closing);
      if (record.status() != fromHistory) {
        v.add("run record says " + record.status() + ", history says " + fromHistory
            + (closing == null ? "" : " (" + closing.describe() + ")"));
      }
    }
    if (closing instanceof Event.WorkflowExecutionTerminated t) {
      boolean terminatedByDriver = plan.window() == ChaosWindow.TERMINATE_BEFORE_CLOSE
          || plan.window() == ChaosWindow.TERMINATE_AFTER_CLOSE;
      if (!terminatedByDriver) v.add("terminated (" + t.reason() + ") though nothing terminated it");
    } else if (closing != null && closings.size() == 1) {
      plan.kind().check(plan, h).forEach(p -> v.add("result: " + p));
    }
    return v;
  }

  /** Activities and timers: each seq scheduled once and resolved at most once (exactly once where due). */
  private static void checkCommands(List<HistoryEvent> h, Event closing, List<String> v) {
    Set<Long> commandSeqs = new HashSet<>();
    Map<Long, String> activities = new HashMap<>();
    Map<Long, Integer> activityOutcomes = new HashMap<>();
    Set<Long> timers = new HashSet<>();
    Map<Long, Integer> timerOutcomes = new HashMap<>();
    for (HistoryEvent he : h) {
      switch (he.event()) {
        case Event.ActivityTaskScheduled s -> {
          if (!commandSeqs.add(s.seq())) v.add("command seq " + s.seq() + " used twice (event " + he.eventId() + ")");
          activities.put(s.seq(), s.activityType());
        }
        case Event.TimerStarted t -> {
          if (!commandSeqs.add(t.seq())) v.add("command seq " + t.seq() + " used twice (event " + he.eventId() + ")");
          timers.add(t.seq());
        }
        case Event.MarkerRecorded m -> {
          // Version markers (getVersion) take no command seq.
          if (!m.markerName().equals("Version") && !commandSeqs.add(m.seq())) {
            v.add("command seq " + m.seq() + " used twice (event " + he.eventId() + ")");
          }
        }
        case Event.ActivityTaskCompleted c -> activityOutcome(he, c.seq(), activities, activityOutcomes, v);
        case Event.ActivityTaskFailed f -> activityOutcome(he, f.seq(), activities, activityOutcomes, v);
        case Event.ActivityTaskTimedOut t -> activityOutcome(he, t.seq(), activities, activityOutcomes, v);
        case Event.ActivityTaskCanceled c -> activityOutcome(he, c.seq(), activities, activityOutcomes, v);
        case Event.TimerFired f -> timerOutcome(he, f.seq(), timers, timerOutcomes, v);
        case Event.TimerCanceled c -> timerOutcome(he, c.seq(), timers, timerOutcomes, v);
        default -> { }
      }
    }
    boolean mustResolve = closing instanceof Event.WorkflowExecutionCompleted || closing instanceof Event.WorkflowExecutionFailed;
    if (mustResolve) {
      Set<Long> pending = new TreeSet<>(activities.keySet());
      pending.removeAll(activityOutcomes.keySet());
      for (long seq : pending) {
        v.add("activity " + activities.get(seq) + "#" + seq + " scheduled but never resolved, yet the workflow closed");
      }
    }
  }

  private static void activityOutcome(HistoryEvent he, long seq, Map<Long, String> scheduled, Map<Long, Integer> outcomes,
      List<String> v) {
    if (!scheduled.containsKey(seq)) {
      v.add("outcome of activity #" + seq + " that was never scheduled (" + he + ")");
      return;
    }
    if (outcomes.merge(seq, 1, Integer::sum) > 1) v.add("activity " + scheduled.get(seq) + "#" + seq + " resolved twice (" + he + ")");
  }

  private static void timerOutcome(HistoryEvent he, long seq, Set<Long> started, Map<Long, Integer> outcomes, List<String> v) {
    if (!started.contains(seq)) {
      v.add("timer #" + seq + " fired or canceled but never started (" + he + ")");
      return;
    }
    if (outcomes.merge(seq, 1, Integer::sum) > 1) v.add("timer #" + seq + " fired or canceled twice (" + he + ")");
  }

  /** Every completed or failed attempt in the history was run by a worker (else the outcome came from nowhere). */
  private static void checkOutcomesRan(ChaosPlan plan, RunRecord record, List<HistoryEvent> h, AttemptLedger ledger,
      List<String> v) {
    if (ledger == null || record == null) return;
    for (HistoryEvent he : h) {
      long seq;
      int attempt;
      switch (he.event()) {
        case Event.ActivityTaskCompleted c -> {
          seq = c.seq();
          attempt = c.attempt();
        }
        case Event.ActivityTaskFailed f -> {
          seq = f.seq();
          attempt = f.attempt();
        }
        default -> {
          continue;
        }
      }
      if (ledger.executions(plan.workflowId(), record.run().runId(), seq, attempt) == 0) {
        v.add("outcome " + he + " of an attempt no worker ran");
      }
    }
  }
}
