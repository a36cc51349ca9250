package dev.tempora.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowQueryException;
import dev.tempora.client.WorkflowStub;
import dev.tempora.examples.expense.ExpenseActivities;
import dev.tempora.examples.expense.ExpenseReport;
import dev.tempora.examples.expense.ExpenseScenarios;
import dev.tempora.examples.expense.ExpenseWorkflow;
import dev.tempora.examples.expense.ExpenseWorkflowImpl;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deploying code that no longer matches a running workflow's history fails only the workflow
 * task: the history is untouched, the run stays RUNNING with a task failure that says what
 * differs, and deploying matching code again lets the workflow carry on with what it was sent.
 */
class NonDeterminismTest {

  /** The same workflow type, but it starts with a timer where the history has the RequestApproval activity. */
  public static class TimerFirstExpenseWorkflow extends Base {
    @Override
    public String process(ExpenseReport report) {
      Workflow.sleep(Duration.ofHours(1));
      activities.requestApproval(report.expenseId(), report.employee(), report.amountCents());
      Workflow.await(Duration.ofDays(7), () -> decided);
      return "DONE";
    }
  }

  /** The same workflow type, but it schedules a different activity first. */
  public static class ReorderedExpenseWorkflow extends Base {
    @Override
    public String process(ExpenseReport report) {
      activities.notifyEmployee(report.employee(), report.expenseId(), "submitted");
      activities.requestApproval(report.expenseId(), report.employee(), report.amountCents());
      Workflow.await(Duration.ofDays(7), () -> decided);
      return "DONE";
    }
  }

  abstract static class Base implements ExpenseWorkflow {
    final ExpenseActivities activities = Workflow.newActivityStub(ExpenseActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
    boolean decided;

    @Override public void approve(String approver) { decided = true; }
    @Override public void reject(String approver, String reason) { decided = true; }
    @Override public String status() { return decided ? "DECIDED" : "WAITING"; }
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of(TimerFirstExpenseWorkflow.class, "history has activity RequestApproval#1 at event 3, code started timer #1"),
        Arguments.of(ReorderedExpenseWorkflow.class,
            "history has activity RequestApproval#1 at event 3, code scheduled activity NotifyEmployee#1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void changedCodeFailsTheTaskNotTheWorkflowAndTheOriginalCodeResumesIt(Class<? extends ExpenseWorkflow> changed,
      String mismatch) {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(ScenarioRunner.defaultOptions().build())) {
      CallLog log = ExpenseScenarios.register(env);
      WorkflowClient client = env.getWorkflowClient();
      ExpenseWorkflow expense = ExpenseScenarios.stub(client, ExpenseScenarios.TAXI);
      WorkflowClient.start(expense::process, ExpenseScenarios.TAXI);
      assertEquals("WAITING", expense.status());
      List<HistoryEvent> before = client.fetchHistory("expense-1");
      // Blocked in Workflow.await: the first six events of the expense-approved seed run.
      assertEquals(Scenarios.expenseApproved().expectedEvents().subList(0, 6), Scenario.describe(before));
      assertEquals("6 TimerStarted #2 PT168H", before.getLast().toString());
      assertTrue(env.stats().cachedRunners() > 0, "the run's runner is warm");

      // Deploy the changed code: warm runners are dropped, so the next task replays with it.
      env.registerWorkflowImplementationTypes(changed);
      assertEquals(0, env.stats().cachedRunners());
      expense.approve("frank");

      WorkflowDescription stuck = client.describe("expense-1");
      assertNotNull(stuck.taskFailure(), "the workflow task is failing");
      assertTrue(stuck.taskFailure().startsWith("NonDeterministicWorkflowError: "), stuck.taskFailure());
      assertTrue(stuck.taskFailure().contains(mismatch), stuck.taskFailure());
      assertTrue(stuck.taskFailure().contains("workflow ExpenseWorkflow"), stuck.taskFailure());
      assertEquals(WorkflowExecutionStatus.RUNNING, stuck.status());
      assertEquals(before, client.fetchHistory("expense-1"), "nothing was appended, not even the signal");
      assertEquals(6, stuck.historyLength());
      // A query replays the history with the changed code too, so it cannot be answered.
      WorkflowQueryException q = assertThrows(WorkflowQueryException.class, expense::status);
      assertTrue(q.getMessage().contains(mismatch), q.getMessage());
      assertEquals(List.of("requestApproval(expense-1, dana, 4200)"), log.entries(), "the changed code ran no activity");

      // Deploy the original code again: the parked signal is delivered and the workflow completes.
      env.registerWorkflowImplementationTypes(ExpenseWorkflowImpl.class);
      assertEquals("APPROVED", WorkflowStub.fromTyped(expense).getResult(String.class));
      WorkflowDescription done = client.describe("expense-1");
      assertEquals(WorkflowExecutionStatus.COMPLETED, done.status());
      assertNull(done.taskFailure(), "the task failure is cleared by the first successful task");
      List<HistoryEvent> after = client.fetchHistory("expense-1");
      assertEquals(before, after.subList(0, before.size()), "the recorded prefix is unchanged");
      // Same events as the expense-approved seed run (that one's signal came two days later).
      assertEquals(Scenarios.expenseApproved().expectedEvents(), Scenario.describe(after));
      assertEquals("7 WorkflowSignaled approve [\"frank\"]", after.get(6).toString());
      assertEquals(List.of("requestApproval(expense-1, dana, 4200)", "payExpense(expense-1, dana, 4200)",
          "notifyEmployee(dana, expense-1, approved by frank, paid by payment-expense-1)"), log.entries());
    }
  }
}
