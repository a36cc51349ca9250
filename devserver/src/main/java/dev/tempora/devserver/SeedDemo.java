package dev.tempora.devserver;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.examples.ExamplesSetup;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.etl.EtlScenarios;
import dev.tempora.examples.etl.EtlWorkflow;
import dev.tempora.examples.expense.ExpenseScenarios;
import dev.tempora.examples.expense.ExpenseWorkflow;
import dev.tempora.examples.fanout.FanOutWorkflow;
import dev.tempora.examples.order.OrderScenarios;
import dev.tempora.examples.order.OrderWorkflow;
import dev.tempora.examples.subscription.Subscription;
import dev.tempora.examples.subscription.SubscriptionWorkflow;
import dev.tempora.examples.trip.TripScenarios;
import dev.tempora.examples.trip.TripWorkflow;
import dev.tempora.history.HistoryEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The seed workflows end to end on the embedded stack: every step is a DynamoDB write, every task
 * an SQS message through the Lambda stand-ins, and the subscription's short sleeps, the ETL's
 * retry backoffs and the expense's 7-day timeout go through the real timer paths (SQS delays;
 * the Scheduler stand-in for the week, with the stack's clock moved forward).
 */
public final class SeedDemo {
  private final DevServer server;
  private final WorkflowClient client;
  private final PrintStream out;
  private final List<String> problems = new ArrayList<>();

  public SeedDemo(DevServer server, PrintStream out) {
    this.server = server;
    this.client = server.client();
    this.out = out;
  }

  /** Runs every scenario; returns the problems (empty when all produced what they should). */
  public List<String> run() {
    scenario("order-compensation", "order-1", "4 chairs, 2 in stock: the saga refunds the card, then releases the credit",
        () -> {
          OrderWorkflow w = client.newWorkflowStub(OrderWorkflow.class, id("order-1"));
          try {
            w.process(OrderScenarios.CHAIRS);
            return "completed?!";
          } catch (WorkflowFailedException e) {
            return Outcome.describe(e);
          }
        }, r -> r.contains("OutOfStockException"));
    scenario("expense-approved", "expense-1", "approved by a signal while the 7-day timer runs", () -> {
      ExpenseWorkflow w = client.newWorkflowStub(ExpenseWorkflow.class, id("expense-1"));
      WorkflowClient.start(w::process, ExpenseScenarios.TAXI);
      waitFor(() -> "WAITING".equals(w.status()));
      w.approve("frank");
      return WorkflowStub.fromTyped(w).getResult(String.class);
    }, r -> r.contains("APPROVED") || r.contains("PAID") || r.contains("paid"));
    scenario("expense-timeout", "expense-2", "nobody answers: the 7-day timer fires (Scheduler path, clock moved 7 days)",
        () -> {
          ExpenseWorkflow w = client.newWorkflowStub(ExpenseWorkflow.class, id("expense-2"));
          WorkflowClient.start(w::process, ExpenseScenarios.HOTEL);
          // Move time only once the 7-day timer exists, or it would start from the moved clock.
          waitFor(() -> client.fetchHistory("expense-2").stream()
              .anyMatch(e -> e.event() instanceof dev.tempora.history.Event.TimerStarted));
          server.advanceClock(Duration.ofDays(7));
          return WorkflowStub.fromTyped(w).getResult(String.class);
        }, r -> r.contains("TIMED_OUT") || r.toLowerCase().contains("timed out") || r.toLowerCase().contains("timeout"));
    scenario("subscription", "sub-1", "billed every 2 s through real SQS-delay timers, cancelled after the second charge",
        () -> {
          SubscriptionWorkflow w = client.newWorkflowStub(SubscriptionWorkflow.class, id("sub-1"));
          WorkflowClient.start(w::run, new Subscription("sub-1", "cust-9", "pro", 1_500, Duration.ofSeconds(2)));
          waitFor(() -> w.charges() >= 2);
          w.cancel("switching plans");
          return String.valueOf(WorkflowStub.fromTyped(w).getResult(Integer.class));
        }, r -> Integer.parseInt(r) >= 2);
    scenario("etl-retries", "etl-1", "transform fails twice, retried at the worker after 1 s and 2 s (SQS delays)",
        () -> String.valueOf(client.newWorkflowStub(EtlWorkflow.class, id("etl-1")).run(EtlScenarios.ORDERS)),
        r -> r.contains("etl-1"));
    scenario("fanout-20", "fanout-20", "20 activities in parallel joined with Promise.allOf",
        () -> String.valueOf(client.newWorkflowStub(FanOutWorkflow.class, id("fanout-20")).sumOfSquares(20)),
        r -> r.equals("2870"));
    scenario("trip-children", "trip-1", "3 bookings as child workflows; the flight is sold out, hotel and car cancelled",
        () -> client.newWorkflowStub(TripWorkflow.class, id("trip-1")).book("ada", TripScenarios.ITEMS),
        r -> r.contains("not booked") && r.contains("hotel-confirmed") && r.contains("car-confirmed"));
    out.println("Activity calls: " + ExamplesSetup.CALLS.entries().size());
    out.println(problems.isEmpty()
        ? "Summary: all scenarios produced their expected results on the embedded AWS stack"
        : "Summary: PROBLEMS " + problems);
    return problems;
  }

  private void scenario(String name, String workflowId, String description, Supplier<String> drive,
      java.util.function.Predicate<String> ok) {
    out.println("=== " + name + " (workflow " + workflowId + ")");
    out.println("    " + description);
    long start = System.nanoTime();
    String result;
    try {
      result = drive.get();
    } catch (RuntimeException e) {
      result = "error: " + e;
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    for (HistoryEvent e : client.fetchHistory(workflowId)) {
      out.printf("  %3d  %s  %s%n", e.eventId(), e.timestamp(), e.event().describe());
    }
    boolean good;
    try {
      good = ok.test(result);
    } catch (RuntimeException e) {
      good = false;
    }
    out.println("  result:  " + result);
    out.println("  check:   " + (good ? "OK" : "UNEXPECTED") + " (" + millis + " ms)");
    out.println();
    if (!good) {
      problems.add(name + ": " + result);
    }
  }

  private static WorkflowOptions id(String workflowId) {
    return WorkflowOptions.newBuilder().setWorkflowId(workflowId).build();
  }

  /** A query may fail until the workflow's first task has run: that is "not yet". */
  private static boolean holds(Supplier<Boolean> condition) {
    try {
      return condition.get();
    } catch (dev.tempora.client.WorkflowQueryException e) {
      return false;
    }
  }

  private static void waitFor(Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!holds(condition)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("condition not reached in 30 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
