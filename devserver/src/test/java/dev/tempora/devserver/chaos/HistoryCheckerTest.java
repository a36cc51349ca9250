package dev.tempora.devserver.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.examples.order.OrderConfirmation;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import dev.tempora.internal.history.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The checker on hand-made histories: a correct order saga passes, and each way a history can be
 * corrupted (the rules of {@link HistoryChecker}) is named.
 */
class HistoryCheckerTest {
  private static final ChaosPlan PLAN = new ChaosPlan(4, SeedKind.ORDER_SUCCESS, "chaos-order-success-4", ChaosWindow.NONE, 0);
  private static final RunKey RUN = new RunKey("default", PLAN.workflowId(), "run-1");
  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  private static HistoryEvent e(long id, Event event) {
    return new HistoryEvent(id, T, event);
  }

  private static Event scheduled(long seq, String type) {
    return new Event.ActivityTaskScheduled(seq, type, "default", Payload.NULL, null);
  }

  private static Event completed(long seq, Object result) {
    return new Event.ActivityTaskCompleted(seq, DataConverter.get().toPayload(result), 1);
  }

  /** The batches of a correct run of PLAN: three activities, one per task, then the result. */
  private static List<HistoryBatch> correct() {
    OrderConfirmation result = new OrderConfirmation("chaos-order-success-4", "credit-cust-4-1004", "charge-chaos-order-success-4",
        "track-chaos-order-success-4");
    Event started = new Event.WorkflowExecutionStarted("OrderWorkflow", "default", Payload.NULL, 1, null);
    return List.of(
        new HistoryBatch(1, List.of(e(1, started), e(2, new Event.WorkflowTaskCompleted()), e(3, scheduled(1, "ReserveCredit"))), List.of("m1")),
        new HistoryBatch(2, List.of(e(4, completed(1, "credit-cust-4-1004")), e(5, new Event.WorkflowTaskCompleted()),
            e(6, scheduled(2, "ChargeCard"))), List.of("m2")),
        new HistoryBatch(3, List.of(e(7, completed(2, "charge-chaos-order-success-4")), e(8, new Event.WorkflowTaskCompleted()),
            e(9, scheduled(3, "FulfillOrder"))), List.of("m3")),
        new HistoryBatch(4, List.of(e(10, completed(3, "track-chaos-order-success-4")), e(11, new Event.WorkflowTaskCompleted()),
            e(12, new Event.WorkflowExecutionCompleted(DataConverter.get().toPayload(result)))), List.of("m4")));
  }

  private static RunRecord record(WorkflowExecutionStatus status) {
    return new RunRecord(RUN, "OrderWorkflow", "default", status, T, status.isClosed() ? T : null, null, null);
  }

  private static AttemptLedger ledgerOf(List<HistoryBatch> batches) {
    AttemptLedger ledger = new AttemptLedger();
    for (HistoryEvent he : HistoryChecker.events(batches)) {
      if (he.event() instanceof Event.ActivityTaskCompleted c) ledger.record(PLAN.workflowId(), RUN.runId(), c.seq(), c.attempt(), "x");
    }
    return ledger;
  }

  private static List<String> check(List<HistoryBatch> batches, WorkflowExecutionStatus status) {
    return HistoryChecker.check(PLAN, record(status), batches, ledgerOf(correct()));
  }

  /** The correct history with its event list changed by {@code edit} (ids renumbered unless the edit sets them). */
  private static List<HistoryBatch> edited(UnaryOperator<List<HistoryEvent>> lastBatchEdit) {
    List<HistoryBatch> b = new ArrayList<>(correct());
    HistoryBatch last = b.removeLast();
    b.add(new HistoryBatch(last.seq(), lastBatchEdit.apply(new ArrayList<>(last.events())), last.messageIds()));
    return b;
  }

  @Test
  void aCorrectHistoryPasses() {
    assertEquals(List.of(), check(correct(), WorkflowExecutionStatus.COMPLETED));
  }

  @Test
  void namesEveryKindOfCorruption() {
    assertViolation("batch seqs not contiguous", check(List.of(correct().get(0), correct().get(2)), WorkflowExecutionStatus.RUNNING));
    assertViolation("event ids not contiguous", check(edited(l -> {
      l.set(0, e(11, l.get(0).event()));
      return l;
    }), WorkflowExecutionStatus.COMPLETED));
    assertViolation("2 closing events", check(edited(l -> {
      l.add(e(13, new Event.WorkflowExecutionTerminated("late")));
      return l;
    }), WorkflowExecutionStatus.COMPLETED));
    assertViolation("events after the closing event", check(edited(l -> {
      l.add(e(13, new Event.WorkflowTaskCompleted()));
      return l;
    }), WorkflowExecutionStatus.COMPLETED));
    assertViolation("resolved twice", check(edited(l -> {
      l.add(0, e(10, completed(3, "again")));
      return renumbered(l, 10);
    }), WorkflowExecutionStatus.COMPLETED));
    assertViolation("scheduled but never resolved", check(edited(l -> renumbered(new ArrayList<>(l.subList(1, 3)), 10)),
        WorkflowExecutionStatus.COMPLETED));
    assertViolation("never scheduled", check(edited(l -> {
      l.add(0, e(10, completed(9, "ghost")));
      return renumbered(l, 10);
    }), WorkflowExecutionStatus.COMPLETED));
    assertViolation("timer #7 fired or canceled twice", check(edited(l -> {
      l.addAll(0, List.of(e(0, new Event.TimerStarted(7, Duration.ofSeconds(1), T)), e(0, new Event.TimerFired(7)),
          e(0, new Event.TimerCanceled(7))));
      return renumbered(l, 10);
    }), WorkflowExecutionStatus.COMPLETED));
    assertViolation("run record says RUNNING, history says COMPLETED", check(correct(), WorkflowExecutionStatus.RUNNING));
    assertViolation("run record says TERMINATED", check(correct(), WorkflowExecutionStatus.TERMINATED));
    assertViolation("result: result: expected", check(edited(l -> {
      l.set(2, e(12, new Event.WorkflowExecutionCompleted(DataConverter.get().toPayload(
          new OrderConfirmation("chaos-order-success-4", "x", "y", "z")))));
      return l;
    }), WorkflowExecutionStatus.COMPLETED));
    assertViolation("though nothing terminated it", check(edited(l -> {
      l.set(2, e(12, new Event.WorkflowExecutionTerminated("who?")));
      return l;
    }), WorkflowExecutionStatus.TERMINATED));
    assertViolation("of an attempt no worker ran",
        HistoryChecker.check(PLAN, record(WorkflowExecutionStatus.COMPLETED), correct(), new AttemptLedger()));
  }

  @Test
  void aTerminateFromTheDriversRaceIsNotAViolationButASecondCloseIs() {
    ChaosPlan racer = new ChaosPlan(4, SeedKind.ORDER_SUCCESS, PLAN.workflowId(), ChaosWindow.TERMINATE_AFTER_CLOSE, 0);
    List<HistoryBatch> terminated = edited(l -> {
      l.set(2, e(12, new Event.WorkflowExecutionTerminated("chaos")));
      return l;
    });
    assertEquals(List.of(), HistoryChecker.check(racer, record(WorkflowExecutionStatus.TERMINATED), terminated, ledgerOf(correct())));
    List<HistoryBatch> twice = new ArrayList<>(correct());
    twice.add(new HistoryBatch(5, List.of(e(13, new Event.WorkflowExecutionTerminated("chaos"))), List.of()));
    assertViolation("2 closing events",
        HistoryChecker.check(racer, record(WorkflowExecutionStatus.TERMINATED), twice, ledgerOf(correct())));
  }

  private static List<HistoryEvent> renumbered(List<HistoryEvent> l, long from) {
    List<HistoryEvent> out = new ArrayList<>();
    for (HistoryEvent he : l) out.add(new HistoryEvent(from + out.size(), he.timestamp(), he.event()));
    return out;
  }

  private static void assertViolation(String expected, List<String> violations) {
    assertTrue(violations.stream().anyMatch(v -> v.contains(expected)), "expected a violation containing \"" + expected
        + "\", got " + violations);
  }
}
