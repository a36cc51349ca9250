package dev.tempora.examples.expense;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.examples.CallLog;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.SeedScenario;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The expense approval's seed runs: one approved by a signal after two days, one left unanswered for seven. */
public final class ExpenseScenarios {
  public static final ExpenseReport TAXI = new ExpenseReport("expense-1", "dana", 4_200, "taxi to the airport");
  public static final ExpenseReport HOTEL = new ExpenseReport("expense-2", "eli", 38_000, "hotel, two nights");

  private ExpenseScenarios() {}

  public static SeedScenario approved() {
    return SeedScenario.of("expense-approved", TAXI.expenseId(),
        "the manager approves by signal on day 2: the 7-day timer is cancelled and the expense is paid",
        ExpenseScenarios::register,
        (env, client) -> {
          ExpenseWorkflow expense = stub(client, TAXI);
          List<String> observed = new ArrayList<>();
          WorkflowClient.start(expense::process, TAXI);
          observed.add("day 0: " + expense.status());
          env.sleep(Duration.ofDays(2));
          observed.add("day 2: " + expense.status());
          expense.approve("frank");
          String result = WorkflowStub.fromTyped(expense).getResult(String.class);
          observed.add("after approval: " + expense.status());
          return Outcome.completed(result, observed);
        },
        (o, c) -> c.expectEquals("APPROVED", o.result(), "result")
            .expectEquals(List.of("requestApproval(expense-1, dana, 4200)", "payExpense(expense-1, dana, 4200)",
                "notifyEmployee(dana, expense-1, approved by frank, paid by payment-expense-1)"), o.activityCalls(),
                "activity calls")
            .expectEquals(List.of("day 0: WAITING", "day 2: WAITING", "after approval: APPROVED"), o.observations(),
                "queries"));
  }

  public static SeedScenario timedOut() {
    return SeedScenario.of("expense-timeout", HOTEL.expenseId(),
        "nobody answers: the 7-day timer fires (time skips while the client waits) and nothing is paid",
        ExpenseScenarios::register,
        (env, client) -> {
          ExpenseWorkflow expense = stub(client, HOTEL);
          List<String> observed = new ArrayList<>();
          WorkflowClient.start(expense::process, HOTEL);
          observed.add("day 0: " + expense.status());
          String result = WorkflowStub.fromTyped(expense).getResult(String.class);
          observed.add("day 7: " + expense.status());
          return Outcome.completed(result, observed);
        },
        (o, c) -> c.expectEquals("TIMED_OUT", o.result(), "result")
            .expectEquals(List.of("requestApproval(expense-2, eli, 38000)",
                "notifyEmployee(eli, expense-2, no decision within 7 days)"), o.activityCalls(), "activity calls")
            .expectEquals(List.of("day 0: WAITING", "day 7: TIMED_OUT"), o.observations(), "queries"));
  }

  public static CallLog register(TestWorkflowEnvironment env) {
    CallLog log = new CallLog();
    env.registerWorkflowImplementationTypes(ExpenseWorkflowImpl.class);
    env.registerActivitiesImplementations(new InMemoryExpenseActivities(log));
    return log;
  }

  public static ExpenseWorkflow stub(WorkflowClient client, ExpenseReport report) {
    return client.newWorkflowStub(ExpenseWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId(report.expenseId()).build());
  }
}
