package dev.tempora.examples.order;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.examples.CallLog;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.SeedScenario;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The order saga's seed runs: one order that ships, one that the warehouse cannot fill. */
public final class OrderScenarios {
  /** The warehouse's stock in every run: two chairs, five lamps. */
  public static final Map<String, Integer> STOCK = Map.of("chair", 2, "lamp", 5);
  /** Four chairs: more than the stock, so fulfilment fails and the saga compensates. */
  public static final Order CHAIRS = new Order("order-1", "cust-7", "chair", 4, 19_996);
  public static final Order LAMP = new Order("order-2", "cust-8", "lamp", 1, 4_999);

  private OrderScenarios() {}

  public static SeedScenario compensation() {
    return SeedScenario.of("order-compensation", CHAIRS.orderId(),
        "4 chairs, 2 in stock: FulfillOrder fails (not retried), the saga refunds the card then releases the credit",
        OrderScenarios::register, (env, client) -> drive(client, CHAIRS),
        (o, c) -> c.expect(o.isFailure() && o.failure().startsWith("WorkflowFailedException(FAILED) <- ActivityFailure(FulfillOrder"),
                "the client gets WorkflowFailedException caused by the FulfillOrder failure, got " + o)
            .expectEquals(List.of("reserveCredit(cust-7, 19996)", "chargeCard(order-1, 19996)",
                "fulfillOrder(order-1, chair, 4)", "refundCard(charge-2)", "releaseCredit(credit-1)"),
                o.activityCalls(), "activity calls (compensations in reverse order)")
            .expectEquals(List.of("status COMPENSATED"), o.observations(), "queries"));
  }

  public static SeedScenario success() {
    return SeedScenario.of("order-success", LAMP.orderId(), "1 lamp in stock: reserve, charge, fulfil, no compensation",
        OrderScenarios::register, (env, client) -> drive(client, LAMP),
        (o, c) -> c.expectEquals(new OrderConfirmation("order-2", "credit-1", "charge-2", "track-order-2").toString(),
                o.result(), "result")
            .expectEquals(List.of("reserveCredit(cust-8, 4999)", "chargeCard(order-2, 4999)", "fulfillOrder(order-2, lamp, 1)"),
                o.activityCalls(), "activity calls")
            .expectEquals(List.of("status COMPLETED"), o.observations(), "queries"));
  }

  static CallLog register(TestWorkflowEnvironment env) {
    CallLog log = new CallLog();
    env.registerWorkflowImplementationTypes(OrderWorkflowImpl.class);
    env.registerActivitiesImplementations(new InMemoryOrderActivities(log, STOCK));
    return log;
  }

  static Outcome drive(WorkflowClient client, Order order) {
    OrderWorkflow workflow = client.newWorkflowStub(OrderWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(order.orderId()).build());
    List<String> observed = new ArrayList<>();
    try {
      OrderConfirmation confirmation = workflow.process(order); // starts the workflow and waits for its result
      observed.add("status " + workflow.status());
      return Outcome.completed(confirmation, observed);
    } catch (WorkflowFailedException e) {
      observed.add("status " + workflow.status());
      return Outcome.failed(e, observed);
    }
  }
}
