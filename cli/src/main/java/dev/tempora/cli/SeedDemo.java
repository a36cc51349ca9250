package dev.tempora.cli;

import dev.tempora.devserver.DevServer;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowQueryException;
import dev.tempora.client.WorkflowStub;
import dev.tempora.client.schedules.Schedule;
import dev.tempora.client.schedules.ScheduleActionStartWorkflow;
import dev.tempora.client.schedules.ScheduleClient;
import dev.tempora.client.schedules.ScheduleHandle;
import dev.tempora.client.schedules.ScheduleInfo;
import dev.tempora.client.schedules.ScheduleSpec;
import dev.tempora.examples.ExamplesSetup;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.booking.BookingScenarios;
import dev.tempora.examples.etl.EtlScenarios;
import dev.tempora.examples.etl.EtlWorkflow;
import dev.tempora.examples.expense.ExpenseScenarios;
import dev.tempora.examples.expense.ExpenseWorkflow;
import dev.tempora.examples.fanout.FanOutWorkflow;
import dev.tempora.examples.order.OrderScenarios;
import dev.tempora.examples.order.OrderWorkflow;
import dev.tempora.examples.signup.SignupScenarios;
import dev.tempora.examples.signup.SignupWorkflow;
import dev.tempora.examples.signup.SignupWorkflowImpl;
import dev.tempora.examples.signup.SignupWorkflowV1;
import dev.tempora.examples.subscription.Subscription;
import dev.tempora.examples.subscription.SubscriptionWorkflow;
import dev.tempora.examples.trip.TripScenarios;
import dev.tempora.examples.trip.TripWorkflow;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.schedules.ScheduleEngine;
import dev.tempora.testing.ReplayResults;
import dev.tempora.testing.WorkflowExecutionHistory;
import dev.tempora.testing.WorkflowReplayer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
              .anyMatch(e -> e.event() instanceof Event.TimerStarted));
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
    nightlyReport();
    scenario("booking-updates", "booking-1", "seats added by updates (held through an activity), two rejected by the "
        + "validator with nothing recorded, a repeated update id answered once", () -> {
          List<String> observed = new ArrayList<>();
          String result = BookingScenarios.drive(client, "booking-1", observed);
          return result + " " + observed;
        }, r -> r.equals("ticket-booking-1-2 " + BookingScenarios.EXPECTED_OBSERVATIONS));
    signupVersionChange();
    scenario("trip-children", "trip-1", "3 bookings as child workflows; the flight is sold out, hotel and car cancelled",
        () -> client.newWorkflowStub(TripWorkflow.class, id("trip-1")).book("ada", TripScenarios.ITEMS),
        r -> r.contains("not booked") && r.contains("hotel-confirmed") && r.contains("car-confirmed"));
    out.println("Activity calls: " + ExamplesSetup.CALLS.entries().size());
    out.println(problems.isEmpty()
        ? "Summary: all scenarios produced their expected results on the embedded AWS stack"
        : "Summary: PROBLEMS " + problems);
    return problems;
  }

  /**
   * A schedule: a nightly report at 02:00 in Berlin (a fan-out summing squares), through the real
   * Scheduler SDK calls: its recurring cron() schedule fires in the Scheduler stand-in when the
   * stack's clock is moved to the next 02:00, the schedules function turns the tick into the action.
   */
  private void nightlyReport() {
    ScheduleHandle h = ScheduleClient.newInstance(client).createSchedule("nightly-report", Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder().setWorkflowType(FanOutWorkflow.class).setArguments(5).build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 2 * * *")).setTimeZoneName("Europe/Berlin").build())
        .build());
    Instant next = h.describe().info().nextActionTimes().getFirst();
    String actionId = ScheduleEngine.actionWorkflowId("nightly-report", next);
    scenario("nightly-report", actionId, "a schedule at 02:00 Europe/Berlin (recurring Scheduler cron(), clock moved to "
        + next + ")", () -> {
          server.advanceClock(Duration.between(server.scheduler().now(), next));
          waitFor(() -> {
            try {
              return client.describe(actionId) != null;
            } catch (WorkflowNotFoundException e) {
              return false;
            }
          });
          String result = String.valueOf(client.newUntypedWorkflowStub(actionId).getResult(Long.class));
          ScheduleInfo info = h.describe().info();
          h.delete();
          return result + " (schedule: " + info.numActions() + " action, next " + info.nextActionTimes().getFirst() + ")";
        }, r -> r.startsWith("55 (schedule: 1 action"));
  }

  /**
   * A getVersion change deployed while runs are in flight: three signups start on the code before
   * the change and are mid-trial (a 1-day timer) when {@link DevServer#deploy} brings the current
   * code; the replayer checks their histories against it first, as CI would. They finish on the old
   * path, two later signups take the new one (verify their email).
   */
  private void signupVersionChange() {
    scenario("signup-version-change", SignupScenarios.workflowId("dee"),
        "3 signups mid-trial when the verify-email change (Workflow.getVersion) is deployed finish on the old path; "
            + "2 later ones verify their email (DevServer.deploy, Scheduler timers, clock moved 1 day)",
        () -> {
          server.deploy(w -> w.registerWorkflowImplementationTypes(SignupWorkflowV1.class));
          Map<String, SignupWorkflow> runs = new LinkedHashMap<>();
          for (String name : SignupScenarios.BEFORE) {
            runs.put(name, startSignup(name));
          }
          List<WorkflowExecutionHistory> inFlight = new ArrayList<>();
          for (String name : SignupScenarios.BEFORE) {
            String workflowId = SignupScenarios.workflowId(name);
            SignupScenarios.awaitTrialStarted(client, workflowId);
            inFlight.add(new WorkflowExecutionHistory(workflowId, client.fetchHistory(workflowId)));
          }
          ReplayResults check = WorkflowReplayer.replayWorkflowExecutions(inFlight, false, SignupWorkflowImpl.class);
          out.println("    replayer: " + check.toString().replace(System.lineSeparator(), System.lineSeparator() + "    "));
          server.deploy(w -> w.registerWorkflowImplementationTypes(SignupWorkflowImpl.class));
          for (String name : SignupScenarios.AFTER) {
            runs.put(name, startSignup(name));
            SignupScenarios.awaitTrialStarted(client, SignupScenarios.workflowId(name));
          }
          server.advanceClock(Duration.ofDays(1));
          List<String> results = new ArrayList<>();
          runs.forEach((name, stub) -> results.add(WorkflowStub.fromTyped(stub).getResult(String.class) + " ("
              + SignupScenarios.recordedVersion(client.fetchHistory(SignupScenarios.workflowId(name))) + ")"));
          return String.join("; ", results) + (check.hadAnyError() ? "; replayer found broken runs" : "");
        },
        r -> r.equals("acct-ann welcomed (DEFAULT_VERSION); acct-bo welcomed (DEFAULT_VERSION); "
            + "acct-cy welcomed (DEFAULT_VERSION); acct-dee welcomed, email verified (verify-email 1); "
            + "acct-eve welcomed, email verified (verify-email 1)"));
  }

  private SignupWorkflow startSignup(String name) {
    SignupWorkflow w = client.newWorkflowStub(SignupWorkflow.class, id(SignupScenarios.workflowId(name)));
    WorkflowClient.start(w::signUp, name + "@example.com");
    return w;
  }

  private void scenario(String name, String workflowId, String description, Supplier<String> drive,
      Predicate<String> ok) {
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
    } catch (WorkflowQueryException e) {
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
