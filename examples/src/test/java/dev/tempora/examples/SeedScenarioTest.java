package dev.tempora.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.examples.etl.EtlJob;
import dev.tempora.examples.etl.EtlWorkflow;
import dev.tempora.examples.expense.ExpenseScenarios;
import dev.tempora.examples.expense.ExpenseWorkflow;
import dev.tempora.examples.order.InMemoryOrderActivities;
import dev.tempora.examples.order.OrderScenarios;
import dev.tempora.examples.order.OrderWorkflow;
import dev.tempora.examples.order.OrderWorkflowImpl;
import dev.tempora.examples.order.OutOfStockException;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each seed scenario produces exactly its expected outcome and history. */
class SeedScenarioTest {

  static List<Scenario> scenarios() {
    return Scenarios.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void producesExpectedOutcomeAndHistory(Scenario scenario) {
    ScenarioRunner.Execution run = scenario.run();
    assertEquals(scenario.expectedOutcome(), run.outcome(), "outcome of " + scenario.name());
    assertEquals(scenario.expectedEvents(), Scenario.describe(run.history()), "history of " + scenario.name());
    assertEquals(List.of(), scenario.seed().check(run.outcome()), "the checks SeedWorkflows applies");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void isReproducibleIncludingTimestamps(Scenario scenario) {
    ScenarioRunner.Execution first = scenario.run();
    ScenarioRunner.Execution second = scenario.run();
    assertEquals(first.outcome(), second.outcome());
    assertEquals(first.history(), second.history());
  }

  @Test
  void orderCompensationSurfacesTypedFailuresAndUndoesEverything() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(ScenarioRunner.defaultOptions().build())) {
      CallLog log = new CallLog();
      InMemoryOrderActivities activities = new InMemoryOrderActivities(log, OrderScenarios.STOCK);
      env.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
      env.registerActivitiesImplementations(activities);
      OrderWorkflow order = env.getWorkflowClient().newWorkflowStub(OrderWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId("order-1").build());

      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> order.process(OrderScenarios.CHAIRS));
      assertEquals(WorkflowExecutionStatus.FAILED, e.getStatus());
      ActivityFailure af = assertInstanceOf(ActivityFailure.class, e.getCause());
      assertEquals("FulfillOrder", af.getActivityType());
      assertEquals(1, af.getAttempt(), "OutOfStockException is in doNotRetry: a single attempt");
      ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, af.getCause());
      assertEquals(OutOfStockException.class.getName(), cause.getType());

      // Compensations in reverse order of the steps they undo.
      List<String> calls = log.entries();
      assertEquals(List.of("refundCard(charge-2)", "releaseCredit(credit-1)"), calls.subList(3, 5));
      assertTrue(activities.reservedCredit().isEmpty(), "credit released");
      assertTrue(activities.charges().isEmpty(), "card refunded");
      assertEquals("COMPENSATED", order.status());
      assertEquals(WorkflowExecutionStatus.FAILED, env.getWorkflowClient().describe("order-1").status());
    }
  }

  @Test
  void etlRetriesAreInvisibleToHistoryButNonRetryableFailuresAreNot() {
    ScenarioRunner.Execution retried = Scenarios.etlRetries().run();
    assertEquals(3, retried.outcome().activityCalls().stream().filter(c -> c.startsWith("transform(")).count());
    List<Event> transformOutcomes = outcomesOf(retried.history(), 2);
    assertEquals(1, transformOutcomes.size(), "one outcome event for three attempts");
    assertEquals(3, assertInstanceOf(Event.ActivityTaskCompleted.class, transformOutcomes.getFirst()).attempt());
    // Backoff 1 s then 2 s of virtual time between the attempts.
    assertEquals(Instant.parse("2026-01-01T00:00:03Z"), retried.history().get(6).timestamp());

    ScenarioRunner.Execution failed = Scenarios.etlNonRetryable().run();
    assertEquals(1, failed.outcome().activityCalls().stream().filter(c -> c.startsWith("transform(")).count());
    Event.ActivityTaskFailed f = assertInstanceOf(Event.ActivityTaskFailed.class, outcomesOf(failed.history(), 2).getFirst());
    assertEquals(1, f.attempt());
    assertTrue(f.failure().nonRetryable());
    assertEquals("MalformedRow", f.failure().type());
    assertInstanceOf(Event.WorkflowExecutionFailed.class, failed.history().getLast().event());
  }

  @Test
  void etlNonRetryableFailureReachesTheClientTyped() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(ScenarioRunner.defaultOptions().build())) {
      Scenarios.etlNonRetryable().register(env);
      EtlWorkflow etl = env.getWorkflowClient().newWorkflowStub(EtlWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId("etl-2").build());
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
          () -> etl.run(new EtlJob("etl-2", "legacy.csv", "warehouse.legacy")));
      ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause().getCause());
      assertEquals("MalformedRow", cause.getType());
      assertTrue(cause.isNonRetryable());
    }
  }

  @Test
  void expenseStatusIsQueryableWhileWaitingAndTimesOutAfterSevenDaysExactly() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(ScenarioRunner.defaultOptions().build())) {
      ExpenseScenarios.register(env);
      ExpenseWorkflow expense = ExpenseScenarios.stub(env.getWorkflowClient(), ExpenseScenarios.HOTEL);
      WorkflowClient.start(expense::process, ExpenseScenarios.HOTEL);
      env.sleep(Duration.ofDays(7).minusSeconds(1));
      assertEquals("WAITING", expense.status(), "one second before the deadline");
      assertEquals(WorkflowExecutionStatus.RUNNING, env.getWorkflowClient().describe("expense-2").status());
      env.sleep(Duration.ofSeconds(1));
      assertEquals("TIMED_OUT", expense.status());
      assertEquals(WorkflowExecutionStatus.COMPLETED, env.getWorkflowClient().describe("expense-2").status());
    }
  }

  @Test
  void expenseRejectedBySignal() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(ScenarioRunner.defaultOptions().build())) {
      CallLog log = ExpenseScenarios.register(env);
      ExpenseWorkflow expense = ExpenseScenarios.stub(env.getWorkflowClient(), ExpenseScenarios.HOTEL);
      WorkflowClient.start(expense::process, ExpenseScenarios.HOTEL);
      expense.reject("frank", "over budget");
      // Signals return once the engine has reacted: by now the workflow has finished.
      assertThrows(WorkflowNotFoundException.class, () -> expense.approve("grace"));
      assertEquals("REJECTED", WorkflowStub.fromTyped(expense).getResult(String.class));
      assertEquals(List.of("requestApproval(expense-2, eli, 38000)",
          "notifyEmployee(eli, expense-2, rejected by frank: over budget)"), log.entries());
    }
  }

  @Test
  void seedWorkflowsMainReportsEveryScenarioOk() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int failed = SeedWorkflows.run(List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, failed, out);
    int all = SeedScenarios.all().size();
    assertTrue(out.contains("Summary: " + all + "/" + all + " scenarios produced their expected results"), out);
    assertTrue(out.contains("   10  2026-01-01T00:00:00Z  ActivityTaskFailed #3 attempt 1 "
        + "dev.tempora.examples.order.OutOfStockException: chair: 4 ordered, 2 in stock"), out);
  }

  /** The outcome events (completed, failed, timed out, cancelled) of activity {@code seq}. */
  private static List<Event> outcomesOf(List<HistoryEvent> history, long seq) {
    return history.stream().map(HistoryEvent::event).filter(e -> switch (e) {
      case Event.ActivityTaskCompleted c -> c.seq() == seq;
      case Event.ActivityTaskFailed f -> f.seq() == seq;
      case Event.ActivityTaskTimedOut t -> t.seq() == seq;
      case Event.ActivityTaskCanceled c -> c.seq() == seq;
      default -> false;
    }).toList();
  }
}
