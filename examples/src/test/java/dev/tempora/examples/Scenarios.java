package dev.tempora.examples;

import dev.tempora.examples.etl.EtlScenarios;
import dev.tempora.examples.expense.ExpenseScenarios;
import dev.tempora.examples.fanout.FanOutScenarios;
import dev.tempora.examples.order.OrderScenarios;
import dev.tempora.examples.signup.SignupScenarios;
import dev.tempora.examples.subscription.SubscriptionScenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The seed scenarios with the exact outcome and history each must produce. The histories are
 * {@code "eventId describe"} lines; long payloads are cut by {@code Payload.toString} at 80 characters.
 */
final class Scenarios {
  private Scenarios() {}

  static List<Scenario> all() {
    return List.of(orderCompensation(), orderSuccess(), subscription(), expenseApproved(), expenseTimeout(),
        etlRetries(), etlNonRetryable(), fanOut20(), signupVersionChange());
  }

  static Scenario named(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  static Scenario orderCompensation() {
    return new Scenario(OrderScenarios.compensation(),
        new Outcome(null,
            "WorkflowFailedException(FAILED) <- ActivityFailure(FulfillOrder, attempt 1) <- "
                + "ApplicationFailure(dev.tempora.examples.order.OutOfStockException: chair: 4 ordered, 2 in stock)",
            List.of("status COMPENSATED"),
            List.of("reserveCredit(cust-7, 19996)", "chargeCard(order-1, 19996)", "fulfillOrder(order-1, chair, 4)",
                "refundCard(charge-2)", "releaseCredit(credit-1)")),
        events("""
            1 WorkflowExecutionStarted OrderWorkflow [{"orderId":"order-1","customerId":"cust-7","sku":"chair","quantity":4,"amoun...
            2 WorkflowTaskCompleted
            3 ActivityTaskScheduled ReserveCredit#1
            4 ActivityTaskCompleted #1 attempt 1 "credit-1"
            5 WorkflowTaskCompleted
            6 ActivityTaskScheduled ChargeCard#2
            7 ActivityTaskCompleted #2 attempt 1 "charge-2"
            8 WorkflowTaskCompleted
            9 ActivityTaskScheduled FulfillOrder#3
            10 ActivityTaskFailed #3 attempt 1 dev.tempora.examples.order.OutOfStockException: chair: 4 ordered, 2 in stock
            11 WorkflowTaskCompleted
            12 ActivityTaskScheduled RefundCard#4
            13 ActivityTaskCompleted #4 attempt 1 null
            14 WorkflowTaskCompleted
            15 ActivityTaskScheduled ReleaseCredit#5
            16 ActivityTaskCompleted #5 attempt 1 null
            17 WorkflowTaskCompleted
            18 WorkflowExecutionFailed activity FulfillOrder failed <- dev.tempora.examples.order.OutOfStockException: chair: 4 ordered, 2 in stock
            """));
  }

  static Scenario orderSuccess() {
    return new Scenario(OrderScenarios.success(),
        new Outcome("OrderConfirmation[orderId=order-2, reservationId=credit-1, chargeId=charge-2, trackingNumber=track-order-2]",
            null, List.of("status COMPLETED"),
            List.of("reserveCredit(cust-8, 4999)", "chargeCard(order-2, 4999)", "fulfillOrder(order-2, lamp, 1)")),
        events("""
            1 WorkflowExecutionStarted OrderWorkflow [{"orderId":"order-2","customerId":"cust-8","sku":"lamp","quantity":1,"amount...
            2 WorkflowTaskCompleted
            3 ActivityTaskScheduled ReserveCredit#1
            4 ActivityTaskCompleted #1 attempt 1 "credit-1"
            5 WorkflowTaskCompleted
            6 ActivityTaskScheduled ChargeCard#2
            7 ActivityTaskCompleted #2 attempt 1 "charge-2"
            8 WorkflowTaskCompleted
            9 ActivityTaskScheduled FulfillOrder#3
            10 ActivityTaskCompleted #3 attempt 1 "track-order-2"
            11 WorkflowTaskCompleted
            12 WorkflowExecutionCompleted {"orderId":"order-2","reservationId":"credit-1","chargeId":"charge-2","tracki...
            """));
  }

  static Scenario subscription() {
    return new Scenario(SubscriptionScenarios.cancelledAfterThreeMonths(),
        new Outcome("3", null,
            List.of("day 0: ACTIVE, 1 charge(s)", "day 45: ACTIVE, 2 charge(s)", "day 75: ACTIVE, 3 charge(s)",
                "after cancel: CANCELLED, 3 charge(s)"),
            List.of("chargeSubscription(cust-9, 1, 1500)", "chargeSubscription(cust-9, 2, 1500)",
                "chargeSubscription(cust-9, 3, 1500)", "confirmCancellation(cust-9, 3, switching plans)")),
        events("""
            1 WorkflowExecutionStarted SubscriptionWorkflow [{"subscriptionId":"sub-1","customerId":"cust-9","plan":"pro","monthlyPriceCe...
            2 WorkflowTaskCompleted
            3 ActivityTaskScheduled ChargeSubscription#1
            4 ActivityTaskCompleted #1 attempt 1 "invoice-cust-9-1"
            5 WorkflowTaskCompleted
            6 TimerStarted #2 PT720H
            7 TimerFired #2
            8 WorkflowTaskCompleted
            9 ActivityTaskScheduled ChargeSubscription#3
            10 ActivityTaskCompleted #3 attempt 1 "invoice-cust-9-2"
            11 WorkflowTaskCompleted
            12 TimerStarted #4 PT720H
            13 TimerFired #4
            14 WorkflowTaskCompleted
            15 ActivityTaskScheduled ChargeSubscription#5
            16 ActivityTaskCompleted #5 attempt 1 "invoice-cust-9-3"
            17 WorkflowTaskCompleted
            18 TimerStarted #6 PT720H
            19 WorkflowSignaled cancel ["switching plans"]
            20 WorkflowTaskCompleted
            21 TimerCanceled #6
            22 ActivityTaskScheduled ConfirmCancellation#7
            23 ActivityTaskCompleted #7 attempt 1 null
            24 WorkflowTaskCompleted
            25 WorkflowExecutionCompleted 3
            """));
  }

  static Scenario expenseApproved() {
    return new Scenario(ExpenseScenarios.approved(),
        new Outcome("APPROVED", null, List.of("day 0: WAITING", "day 2: WAITING", "after approval: APPROVED"),
            List.of("requestApproval(expense-1, dana, 4200)", "payExpense(expense-1, dana, 4200)",
                "notifyEmployee(dana, expense-1, approved by frank, paid by payment-expense-1)")),
        events("""
            1 WorkflowExecutionStarted ExpenseWorkflow [{"expenseId":"expense-1","employee":"dana","amountCents":4200,"description":...
            2 WorkflowTaskCompleted
            3 ActivityTaskScheduled RequestApproval#1
            4 ActivityTaskCompleted #1 attempt 1 null
            5 WorkflowTaskCompleted
            6 TimerStarted #2 PT168H
            7 WorkflowSignaled approve ["frank"]
            8 WorkflowTaskCompleted
            9 TimerCanceled #2
            10 ActivityTaskScheduled PayExpense#3
            11 ActivityTaskCompleted #3 attempt 1 "payment-expense-1"
            12 WorkflowTaskCompleted
            13 ActivityTaskScheduled NotifyEmployee#4
            14 ActivityTaskCompleted #4 attempt 1 null
            15 WorkflowTaskCompleted
            16 WorkflowExecutionCompleted "APPROVED"
            """));
  }

  static Scenario expenseTimeout() {
    return new Scenario(ExpenseScenarios.timedOut(),
        new Outcome("TIMED_OUT", null, List.of("day 0: WAITING", "day 7: TIMED_OUT"),
            List.of("requestApproval(expense-2, eli, 38000)", "notifyEmployee(eli, expense-2, no decision within 7 days)")),
        events("""
            1 WorkflowExecutionStarted ExpenseWorkflow [{"expenseId":"expense-2","employee":"eli","amountCents":38000,"description":...
            2 WorkflowTaskCompleted
            3 ActivityTaskScheduled RequestApproval#1
            4 ActivityTaskCompleted #1 attempt 1 null
            5 WorkflowTaskCompleted
            6 TimerStarted #2 PT168H
            7 TimerFired #2
            8 WorkflowTaskCompleted
            9 ActivityTaskScheduled NotifyEmployee#3
            10 ActivityTaskCompleted #3 attempt 1 null
            11 WorkflowTaskCompleted
            12 WorkflowExecutionCompleted "TIMED_OUT"
            """));
  }

  static Scenario etlRetries() {
    return new Scenario(EtlScenarios.retries(),
        new Outcome("EtlReport[jobId=etl-1, extracted=3, loaded=3]", null, List.of(),
            List.of("extract(orders.csv)", "transform(3 rows, attempt 1)", "transform(3 rows, attempt 2)",
                "transform(3 rows, attempt 3)", "load(warehouse.orders, 3 rows)")),
        // The two failed attempts are not in history: retries happen in the activity worker.
        events("""
            1 WorkflowExecutionStarted EtlWorkflow [{"jobId":"etl-1","source":"orders.csv","target":"warehouse.orders"}]
            2 WorkflowTaskCompleted
            3 ActivityTaskScheduled Extract#1
            4 ActivityTaskCompleted #1 attempt 1 ["1,alice,42","2,bob,17","3,carol,99"]
            5 WorkflowTaskCompleted
            6 ActivityTaskScheduled Transform#2
            7 ActivityTaskCompleted #2 attempt 3 ["alice=42","bob=17","carol=99"]
            8 WorkflowTaskCompleted
            9 ActivityTaskScheduled Load#3
            10 ActivityTaskCompleted #3 attempt 1 3
            11 WorkflowTaskCompleted
            12 WorkflowExecutionCompleted {"jobId":"etl-1","extracted":3,"loaded":3}
            """));
  }

  static Scenario etlNonRetryable() {
    return new Scenario(EtlScenarios.nonRetryable(),
        new Outcome(null,
            "WorkflowFailedException(FAILED) <- ActivityFailure(Transform, attempt 1) <- "
                + "ApplicationFailure(MalformedRow: row 2 is malformed: 2;bob;17, non-retryable)",
            List.of(), List.of("extract(legacy.csv)", "transform(3 rows, attempt 1)")),
        events("""
            1 WorkflowExecutionStarted EtlWorkflow [{"jobId":"etl-2","source":"legacy.csv","target":"warehouse.legacy"}]
            2 WorkflowTaskCompleted
            3 ActivityTaskScheduled Extract#1
            4 ActivityTaskCompleted #1 attempt 1 ["1,alice,42","2;bob;17","3,carol,99"]
            5 WorkflowTaskCompleted
            6 ActivityTaskScheduled Transform#2
            7 ActivityTaskFailed #2 attempt 1 MalformedRow: row 2 is malformed: 2;bob;17
            8 WorkflowTaskCompleted
            9 WorkflowExecutionFailed activity Transform failed <- MalformedRow: row 2 is malformed: 2;bob;17
            """));
  }

  static Scenario fanOut20() {
    // One task schedules all 20; the engine runs them one by one, and their 20 completions, queued
    // meanwhile for the workflow, are coalesced into a single next task.
    List<String> events = new ArrayList<>();
    events.add("1 WorkflowExecutionStarted FanOutWorkflow [20]");
    events.add("2 WorkflowTaskCompleted");
    IntStream.rangeClosed(1, 20).forEach(i -> events.add((2 + i) + " ActivityTaskScheduled Square#" + i));
    IntStream.rangeClosed(1, 20).forEach(i -> events.add((22 + i) + " ActivityTaskCompleted #" + i + " attempt 1 " + i * i));
    events.add("43 WorkflowTaskCompleted");
    events.add("44 WorkflowExecutionCompleted 2870");
    return new Scenario(FanOutScenarios.twenty(),
        new Outcome("2870", null, List.of(), IntStream.rangeClosed(1, 20).mapToObj(i -> "square(" + i + ")").toList()),
        List.copyOf(events));
  }

  static Scenario signupVersionChange() {
    // The history shown is a signup after the change: the Version marker takes no command seq.
    return new Scenario(SignupScenarios.versionChange(),
        new Outcome("acct-ann welcomed; acct-bo welcomed; acct-cy welcomed; acct-dee welcomed, email verified; "
            + "acct-eve welcomed, email verified", null,
            List.of("ann DEFAULT_VERSION", "bo DEFAULT_VERSION", "cy DEFAULT_VERSION", "dee verify-email 1",
                "eve verify-email 1"),
            List.of("createAccount(ann@example.com)", "createAccount(bo@example.com)", "createAccount(cy@example.com)",
                "verifyEmail(dee@example.com)", "createAccount(dee@example.com)", "verifyEmail(eve@example.com)",
                "createAccount(eve@example.com)", "sendWelcome(acct-ann)", "sendWelcome(acct-bo)", "sendWelcome(acct-cy)",
                "sendWelcome(acct-dee)", "sendWelcome(acct-eve)")),
        events("""
            1 WorkflowExecutionStarted SignupWorkflow ["dee@example.com"]
            2 WorkflowTaskCompleted
            3 MarkerRecorded Version#0 {"changeId":"verify-email","version":1}
            4 ActivityTaskScheduled VerifyEmail#1
            5 ActivityTaskCompleted #1 attempt 1 true
            6 WorkflowTaskCompleted
            7 ActivityTaskScheduled CreateAccount#2
            8 ActivityTaskCompleted #2 attempt 1 "acct-dee"
            9 WorkflowTaskCompleted
            10 TimerStarted #3 PT24H
            11 TimerFired #3
            12 WorkflowTaskCompleted
            13 ActivityTaskScheduled SendWelcome#4
            14 ActivityTaskCompleted #4 attempt 1 null
            15 WorkflowTaskCompleted
            16 WorkflowExecutionCompleted "acct-dee welcomed, email verified"
            """));
  }

  private static List<String> events(String block) {
    return block.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}
