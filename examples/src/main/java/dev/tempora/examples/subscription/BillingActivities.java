package dev.tempora.examples.subscription;

import dev.tempora.activity.ActivityInterface;

/** Activity types ChargeSubscription and ConfirmCancellation. */
@ActivityInterface
public interface BillingActivities {
  /** Charges one billing period; returns the invoice id. */
  String chargeSubscription(String customerId, int period, long amountCents);

  void confirmCancellation(String customerId, int periodsCharged, String reason);
}
