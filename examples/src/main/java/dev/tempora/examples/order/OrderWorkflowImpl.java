package dev.tempora.examples.order;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.failure.ActivityFailure;
import dev.tempora.workflow.Saga;
import dev.tempora.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

public class OrderWorkflowImpl implements OrderWorkflow {
  private static final Logger log = Workflow.getLogger(OrderWorkflowImpl.class);

  /** Payments: a few quick retries for transient errors. */
  static final ActivityOptions PAYMENT_OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10))
      .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setMaximumAttempts(3).build())
      .build();

  /** Fulfilment: at most two attempts, and none more once the warehouse says the item is out of stock. */
  static final ActivityOptions FULFILLMENT_OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setMaximumAttempts(2)
          .setDoNotRetry(OutOfStockException.class.getName())
          .build())
      .build();

  private final OrderActivities payments = Workflow.newActivityStub(OrderActivities.class, PAYMENT_OPTIONS);
  private final OrderActivities warehouse = Workflow.newActivityStub(OrderActivities.class, FULFILLMENT_OPTIONS);
  private String status = "RECEIVED";

  @Override
  public OrderConfirmation process(Order order) {
    Saga saga = new Saga(new Saga.Options(false, false));
    try {
      status = "RESERVING_CREDIT";
      String reservationId = payments.reserveCredit(order.customerId(), order.amountCents());
      saga.addCompensation(payments::releaseCredit, reservationId);

      status = "CHARGING_CARD";
      String chargeId = payments.chargeCard(order.orderId(), order.amountCents());
      saga.addCompensation(payments::refundCard, chargeId);

      status = "FULFILLING";
      String tracking = warehouse.fulfillOrder(order.orderId(), order.sku(), order.quantity());

      status = "COMPLETED";
      log.info("order {} shipped: {}", order.orderId(), tracking);
      return new OrderConfirmation(order.orderId(), reservationId, chargeId, tracking);
    } catch (ActivityFailure e) {
      status = "COMPENSATING";
      log.info("order {} failed at {}; compensating", order.orderId(), e.getActivityType());
      saga.compensate();
      status = "COMPENSATED";
      throw e;
    }
  }

  @Override
  public String status() {
    return status;
  }
}
