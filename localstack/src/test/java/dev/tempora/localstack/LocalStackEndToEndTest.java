package dev.tempora.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowQueryException;
import dev.tempora.client.WorkflowStub;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.expense.ExpenseScenarios;
import dev.tempora.examples.expense.ExpenseWorkflow;
import dev.tempora.examples.order.OrderConfirmation;
import dev.tempora.examples.order.OrderScenarios;
import dev.tempora.examples.order.OrderWorkflow;
import dev.tempora.examples.subscription.Subscription;
import dev.tempora.examples.subscription.SubscriptionWorkflow;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.aws.AwsTimerService;
import dev.tempora.internal.aws.TimerEnvelope;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The seed workflows end to end on LocalStack: resources and Lambda functions created by the
 * init script from the examples bundle, SQS event sources driving the real handlers inside
 * LocalStack's Lambda containers, and the real client (runs and messages written directly,
 * queries through Lambda Invoke of the coordinator function). Skipped where no Docker engine runs.
 */
@ExtendWith(DockerAvailable.class)
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class LocalStackEndToEndTest {
  private static LocalStackEnvironment stack;
  private static WorkflowClient client;

  @BeforeAll
  static void startLocalStack() {
    stack = LocalStackEnvironment.start(Path.of(System.getProperty("tempora.localstack.dir", ".")),
        Path.of(System.getProperty("tempora.lambda.jar")));
    client = stack.runtime.client();
  }

  @AfterAll
  static void stopLocalStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void orderSagaCompensatesThenShips() {
    OrderWorkflow chairs = client.newWorkflowStub(OrderWorkflow.class, id("order-1"));
    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
        () -> chairs.process(OrderScenarios.CHAIRS));
    assertTrue(Outcome.describe(failed).contains("OutOfStockException"), Outcome.describe(failed));
    // The compensations ran in reverse order, each as an activity on the activity function.
    assertEquals(List.of("ReserveCredit", "ChargeCard", "FulfillOrder", "RefundCard", "ReleaseCredit"),
        activityTypes("order-1"));
    assertEquals("COMPENSATED", chairs.status()); // a query: Lambda Invoke of the coordinator function

    OrderWorkflow lamp = client.newWorkflowStub(OrderWorkflow.class, id("order-2"));
    OrderConfirmation confirmation = lamp.process(OrderScenarios.LAMP);
    assertEquals("order-2", confirmation.orderId());
    assertEquals("track-order-2", confirmation.trackingNumber());
    assertEquals(List.of("ReserveCredit", "ChargeCard", "FulfillOrder"), activityTypes("order-2"));
    assertEquals("COMPLETED", lamp.status());
  }

  @Test
  void expenseApprovedBySignalCancelsItsSevenDayTimer() {
    Instant started = Instant.now();
    ExpenseWorkflow expense = client.newWorkflowStub(ExpenseWorkflow.class, id("expense-1"));
    WorkflowClient.start(expense::process, ExpenseScenarios.TAXI);
    waitFor("expense-1 waits for approval", () -> "WAITING".equals(expense.status()));

    // The 7-day timeout is a Scheduler schedule in LocalStack: at() two minutes early, aimed at the timers queue.
    GetScheduleResponse schedule = awaitScheduleOf("expense-1");
    Instant due = LocalStackSchedulerDriver.oneTimeFireTime(schedule.scheduleExpression(),
        schedule.scheduleExpressionTimezone()).orElseThrow();
    Instant expected = started.plus(Duration.ofDays(7)).minus(AwsTimerService.SCHEDULER_LEAD);
    assertTrue(Duration.between(expected, due).abs().compareTo(Duration.ofMinutes(5)) < 0,
        "schedule at " + due + ", expected about " + expected);
    assertEquals(timersQueueArn(), schedule.target().arn());
    assertEquals(stack.config.schedulerRoleArn(), schedule.target().roleArn());

    expense.approve("frank"); // the signal: a message on the FIFO queue
    assertEquals("APPROVED", WorkflowStub.fromTyped(expense).getResult(String.class));
    assertEquals("APPROVED", expense.status());
    assertEquals(List.of("RequestApproval", "PayExpense", "NotifyEmployee"), activityTypes("expense-1"));
    // Cancelling the timer deleted its schedule.
    waitFor("the 7-day schedule of expense-1 is deleted", () -> schedulesOf("expense-1").isEmpty());
  }

  @Test
  void subscriptionBillsAfterShortTimersOverSqsDelays() {
    SubscriptionWorkflow sub = client.newWorkflowStub(SubscriptionWorkflow.class, id("sub-1"));
    WorkflowClient.start(sub::run, new Subscription("sub-1", "cust-9", "pro", 1_500, Duration.ofSeconds(2)));
    // A second charge needs the first 2-second timer: timers queue (DelaySeconds), the timers
    // function, the FIFO queue, the coordinator.
    waitFor("sub-1 is charged twice", () -> sub.charges() >= 2);
    sub.cancel("switching plans");
    int charged = WorkflowStub.fromTyped(sub).getResult(Integer.class);
    assertTrue(charged >= 2, "charged " + charged);
    List<HistoryEvent> history = client.fetchHistory("sub-1");
    assertTrue(history.stream().anyMatch(e -> e.event() instanceof Event.TimerFired), "a TimerFired event");
    assertTrue(schedulesOf("sub-1").isEmpty(), "short timers do not use Scheduler");
  }

  @Test
  void longTimerScheduleIsFiredByTheDriver() {
    ExpenseWorkflow expense = client.newWorkflowStub(ExpenseWorkflow.class, id("expense-2"));
    WorkflowClient.start(expense::process, ExpenseScenarios.HOTEL);
    GetScheduleResponse schedule = awaitScheduleOf("expense-2");
    Instant due = LocalStackSchedulerDriver.oneTimeFireTime(schedule.scheduleExpression(),
        schedule.scheduleExpressionTimezone()).orElseThrow();

    // LocalStack never fires it; the driver does, here with its clock at the schedule's time.
    var driver = new LocalStackSchedulerDriver(stack.clients.scheduler(), stack.clients.sqs(),
        stack.config.scheduleGroup(), InstantSource.fixed(due.plusSeconds(1)));
    var fired = driver.fireDue().stream().filter(f -> f.name().equals(schedule.name())).toList();
    assertEquals(1, fired.size(), "fired " + fired);
    assertEquals(timersQueueArn(), fired.get(0).targetArn());
    assertTrue(driver.fireDue().stream().noneMatch(f -> f.name().equals(schedule.name())), "fired twice");

    // The timers function received it a week early (by the real clock) and put it back with a
    // delay instead of forwarding it: the workflow keeps waiting.
    waitFor("the early timer is back on the timers queue, delayed", () -> Integer.parseInt(
        stack.clients.sqs().getQueueAttributes(b -> b.queueUrl(stack.runtime.queueUrl(stack.config.timersQueueName()))
            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)) >= 1);
    assertEquals("WAITING", expense.status());
    WorkflowStub.fromTyped(expense).terminate("test over");
  }

  // ------------------------------------------------------------------------------------------

  private static WorkflowOptions id(String workflowId) {
    return WorkflowOptions.newBuilder().setWorkflowId(workflowId).build();
  }

  private static List<String> activityTypes(String workflowId) {
    return client.fetchHistory(workflowId).stream()
        .map(HistoryEvent::event)
        .filter(e -> e instanceof Event.ActivityTaskScheduled)
        .map(e -> ((Event.ActivityTaskScheduled) e).activityType())
        .toList();
  }

  private static String timersQueueArn() {
    return stack.clients.sqs().getQueueAttributes(b -> b.queueUrl(stack.runtime.queueUrl(stack.config.timersQueueName()))
        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
  }

  /** The schedules of the group whose timer belongs to the workflow (read from their input). */
  private static List<GetScheduleResponse> schedulesOf(String workflowId) {
    var scheduler = stack.clients.scheduler();
    String group = stack.config.scheduleGroup();
    List<GetScheduleResponse> out = new java.util.ArrayList<>();
    for (var summary : scheduler.listSchedulesPaginator(b -> b.groupName(group)).schedules()) {
      try {
        GetScheduleResponse s = scheduler.getSchedule(b -> b.groupName(group).name(summary.name()));
        if (TimerEnvelope.fromJson(s.target().input()).message().run().workflowId().equals(workflowId)) {
          out.add(s);
        }
      } catch (ResourceNotFoundException deletedMeanwhile) {
        // a timer cancelled between the list and the get
      }
    }
    return out;
  }

  private static GetScheduleResponse awaitScheduleOf(String workflowId) {
    waitFor("a schedule for " + workflowId, () -> schedulesOf(workflowId).size() == 1);
    return schedulesOf(workflowId).get(0);
  }

  /** Polls a condition; a query that fails because the first task has not run yet counts as "not yet". */
  private static void waitFor(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (WorkflowQueryException notYet) {
        // the workflow has no task yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within 3 minutes: " + what);
      }
      LocalStackEnvironment.sleep(Duration.ofMillis(500));
    }
  }
}
