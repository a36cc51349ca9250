package dev.tempora.devserver.chaos;

import dev.tempora.examples.etl.EtlJob;
import dev.tempora.examples.etl.EtlReport;
import dev.tempora.examples.expense.ExpenseReport;
import dev.tempora.examples.order.Order;
import dev.tempora.examples.order.OrderConfirmation;
import dev.tempora.examples.subscription.Subscription;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The seed workflows of the examples module, as the chaos suite runs them: the arguments of
 * workflow number {@code i}, and what its history must show at the end. Every expectation is a
 * function of the arguments and of the order of the inbound events in the history (an approval
 * signal that arrives after the 7-day timer fired correctly gives TIMED_OUT), never of timing.
 */
enum SeedKind {
  ORDER_SUCCESS("order-success", "OrderWorkflow", 20),
  ORDER_COMPENSATION("order-compensation", "OrderWorkflow", 12),
  EXPENSE_APPROVED("expense-approved", "ExpenseWorkflow", 14),
  EXPENSE_TIMEOUT("expense-timeout", "ExpenseWorkflow", 8),
  SUBSCRIPTION("subscription", "SubscriptionWorkflow", 10),
  ETL_RETRIES("etl-retries", "EtlWorkflow", 14),
  ETL_NON_RETRYABLE("etl-non-retryable", "EtlWorkflow", 6),
  FANOUT("fanout", "FanOutWorkflow", 16);

  static final Map<String, List<String>> SOURCES = Map.of(
      "orders.csv", List.of("1,alice,42", "2,bob,17", "3,carol,99"),
      "legacy.csv", List.of("1,alice,42", "2;bob;17", "3,carol,99"));
  /** The subscription's billing period: its sleeps are real SQS-delay timers. */
  static final Duration BILLING_PERIOD = Duration.ofSeconds(1);

  final String label;
  final String workflowType;
  /** Share of the workflows of a run, relative to the other kinds. */
  final int weight;

  SeedKind(String label, String workflowType, int weight) {
    this.label = label;
    this.workflowType = workflowType;
    this.weight = weight;
  }

  static List<String> rowsOf(String source) {
    return SOURCES.getOrDefault(source, List.of());
  }

  /** The kind's size parameter for workflow {@code index}: fan-out width, charges before the cancel signal. */
  int size(int index) {
    return switch (this) {
      case FANOUT -> 3 + index % 10;
      case SUBSCRIPTION -> 1 + index % 3;
      default -> 0;
    };
  }

  Object[] args(ChaosPlan p) {
    int i = p.index();
    String id = p.workflowId();
    return switch (this) {
      case ORDER_SUCCESS -> new Object[] {new Order(id, "cust-" + i, "lamp", 1 + i % 2, 1_000 + i)};
      case ORDER_COMPENSATION -> new Object[] {new Order(id, "cust-" + i, "chair", 3 + i % 3, 2_000 + i)};
      case EXPENSE_APPROVED, EXPENSE_TIMEOUT -> new Object[] {new ExpenseReport(id, "emp-" + i, 100 + i, "chaos")};
      case SUBSCRIPTION -> new Object[] {new Subscription(id, "cust-" + i, "pro", 1_500, BILLING_PERIOD)};
      case ETL_RETRIES -> new Object[] {new EtlJob(id, "orders.csv", "warehouse." + id)};
      case ETL_NON_RETRYABLE -> new Object[] {new EtlJob(id, "legacy.csv", "warehouse." + id)};
      case FANOUT -> new Object[] {p.size()};
    };
  }

  /**
   * What is wrong with a closed history's outcome for this kind (empty if right). A history
   * closed by a terminate is checked only by the structural checks.
   */
  List<String> check(ChaosPlan p, List<HistoryEvent> h) {
    Problems out = new Problems();
    Event closing = h.isEmpty() ? null : h.getLast().event();
    List<String> types = scheduledTypes(h);
    switch (this) {
      case ORDER_SUCCESS -> {
        Order o = (Order) args(p)[0];
        out.result(closing, OrderConfirmation.class, new OrderConfirmation(o.orderId(),
            "credit-" + o.customerId() + "-" + o.amountCents(), "charge-" + o.orderId(), "track-" + o.orderId()));
        out.equal("activities", List.of("ReserveCredit", "ChargeCard", "FulfillOrder"), types);
      }
      case ORDER_COMPENSATION -> {
        Order o = (Order) args(p)[0];
        out.failed(closing, "FulfillOrder");
        out.equal("activities", List.of("ReserveCredit", "ChargeCard", "FulfillOrder", "RefundCard", "ReleaseCredit"),
            types);
        out.input(h, "RefundCard", "charge-" + o.orderId());
        out.input(h, "ReleaseCredit", "credit-" + o.customerId() + "-" + o.amountCents());
      }
      case EXPENSE_APPROVED -> {
        // Approved if the signal came before the timer fired (the clock may have moved first).
        boolean approved = firstIndex(h, Event.WorkflowSignaled.class) >= 0
            && (firstIndex(h, Event.TimerFired.class) < 0
                || firstIndex(h, Event.WorkflowSignaled.class) < firstIndex(h, Event.TimerFired.class));
        out.result(closing, String.class, approved ? "APPROVED" : "TIMED_OUT");
        out.equal("activities", approved ? List.of("RequestApproval", "PayExpense", "NotifyEmployee")
            : List.of("RequestApproval", "NotifyEmployee"), types);
      }
      case EXPENSE_TIMEOUT -> {
        out.result(closing, String.class, "TIMED_OUT");
        out.equal("activities", List.of("RequestApproval", "NotifyEmployee"), types);
        if (firstIndex(h, Event.TimerFired.class) < 0) out.add("no TimerFired for the 7-day timeout");
      }
      case SUBSCRIPTION -> {
        long charged = h.stream().filter(e -> e.event() instanceof Event.ActivityTaskCompleted c
            && "ChargeSubscription".equals(typeOf(h, c.seq()))).count();
        out.result(closing, Integer.class, (int) charged);
        List<String> expected = new ArrayList<>(Collections.nCopies((int) charged, "ChargeSubscription"));
        expected.add("ConfirmCancellation");
        out.equal("activities", expected, types);
        if (charged < p.size()) out.add("charged " + charged + " periods, the cancel came after " + p.size());
        if (firstIndex(h, Event.WorkflowSignaled.class) < 0) out.add("no cancel signal in history");
      }
      case ETL_RETRIES -> {
        out.result(closing, EtlReport.class, new EtlReport(p.workflowId(), 3, 3));
        out.equal("activities", List.of("Extract", "Transform", "Load"), types);
        boolean transformOnThird = h.stream().anyMatch(e -> e.event() instanceof Event.ActivityTaskCompleted c
            && "Transform".equals(typeOf(h, c.seq())) && c.attempt() == ChaosActivities.TRANSFORM_SUCCEEDS_ON_ATTEMPT);
        if (!transformOnThird) out.add("Transform did not complete on attempt " + ChaosActivities.TRANSFORM_SUCCEEDS_ON_ATTEMPT);
      }
      case ETL_NON_RETRYABLE -> {
        out.failed(closing, "MalformedRow");
        out.equal("activities", List.of("Extract", "Transform"), types);
        boolean failedOnFirst = h.stream().anyMatch(e -> e.event() instanceof Event.ActivityTaskFailed f
            && "Transform".equals(typeOf(h, f.seq())) && f.attempt() == 1);
        if (!failedOnFirst) out.add("Transform did not fail on attempt 1");
      }
      case FANOUT -> {
        long n = p.size();
        out.result(closing, Long.class, n * (n + 1) * (2 * n + 1) / 6);
        out.equal("activities", Collections.nCopies(p.size(), "Square"), types);
      }
    }
    return out.list;
  }

  static List<String> scheduledTypes(List<HistoryEvent> h) {
    return h.stream().filter(e -> e.event() instanceof Event.ActivityTaskScheduled)
        .map(e -> ((Event.ActivityTaskScheduled) e.event()).activityType()).toList();
  }

  static String typeOf(List<HistoryEvent> h, long seq) {
    return h.stream().filter(e -> e.event() instanceof Event.ActivityTaskScheduled s && s.seq() == seq)
        .map(e -> ((Event.ActivityTaskScheduled) e.event()).activityType()).findFirst().orElse(null);
  }

  static int firstIndex(List<HistoryEvent> h, Class<? extends Event> type) {
    for (int i = 0; i < h.size(); i++) {
      if (type.isInstance(h.get(i).event())) return i;
    }
    return -1;
  }

  /** Collects mismatches between a history and what the kind must produce. */
  private static final class Problems {
    final List<String> list = new ArrayList<>();

    void add(String problem) {
      list.add(problem);
    }

    void equal(String what, Object expected, Object actual) {
      if (!Objects.equals(expected, actual)) add(what + ": expected " + expected + ", got " + actual);
    }

    void result(Event closing, Type type, Object expected) {
      if (!(closing instanceof Event.WorkflowExecutionCompleted c)) {
        add("expected completion with " + expected + ", closed with " + describe(closing));
        return;
      }
      Object actual;
      try {
        actual = DataConverter.get().fromPayload(c.result(), type);
      } catch (RuntimeException e) {
        add("result " + c.result() + " is not a " + type.getTypeName());
        return;
      }
      equal("result", expected, actual);
    }

    void failed(Event closing, String mention) {
      if (!(closing instanceof Event.WorkflowExecutionFailed f)) {
        add("expected failure mentioning " + mention + ", closed with " + describe(closing));
      } else if (!f.failure().summary().contains(mention)) {
        add("failure does not mention " + mention + ": " + f.failure().summary());
      }
    }

    void input(List<HistoryEvent> h, String activityType, String mention) {
      Payload input = h.stream().filter(e -> e.event() instanceof Event.ActivityTaskScheduled s
              && s.activityType().equals(activityType))
          .map(e -> ((Event.ActivityTaskScheduled) e.event()).input()).findFirst().orElse(null);
      if (input != null && !input.json().contains(mention)) {
        add(activityType + " input " + input.json() + " does not name " + mention);
      }
    }

    private static String describe(Event e) {
      return e == null ? "nothing" : e.describe();
    }
  }
}
