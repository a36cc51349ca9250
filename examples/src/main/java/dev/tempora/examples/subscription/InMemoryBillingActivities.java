package dev.tempora.examples.subscription;

import dev.tempora.examples.CallLog;

/** Billing that only records what it was asked to do. */
public final class InMemoryBillingActivities implements BillingActivities {
  private final CallLog log;

  public InMemoryBillingActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public String chargeSubscription(String customerId, int period, long amountCents) {
    log.record("chargeSubscription", customerId, period, amountCents);
    return "invoice-" + customerId + "-" + period;
  }

  @Override
  public void confirmCancellation(String customerId, int periodsCharged, String reason) {
    log.record("confirmCancellation", customerId, periodsCharged, reason);
  }
}
