package dev.tempora.examples.order;

import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;

/**
 * Processes an order as a saga: reserve credit, charge the card, fulfil. If fulfilment fails, the
 * completed steps are undone in reverse order (refund the card, then release the credit) and the
 * workflow fails with the fulfilment's failure.
 */
@WorkflowInterface
public interface OrderWorkflow {
  @WorkflowMethod
  OrderConfirmation process(Order order);

  /** RECEIVED, RESERVING_CREDIT, CHARGING_CARD, FULFILLING, then COMPLETED, or COMPENSATING and COMPENSATED. */
  @QueryMethod
  String status();
}
