package dev.tempora.examples.order;

import dev.tempora.activity.ActivityInterface;

/** The side effects of an order. Activity types: ReserveCredit, ReleaseCredit, ChargeCard, RefundCard, FulfillOrder. */
@ActivityInterface
public interface OrderActivities {
  /** Returns the reservation id. */
  String reserveCredit(String customerId, long amountCents);

  /** Compensates {@link #reserveCredit}. */
  void releaseCredit(String reservationId);

  /** Returns the charge id. */
  String chargeCard(String orderId, long amountCents);

  /** Compensates {@link #chargeCard}. */
  void refundCard(String chargeId);

  /** Ships the order and returns the tracking number; throws {@link OutOfStockException} when the warehouse lacks the item. */
  String fulfillOrder(String orderId, String sku, int quantity);
}
