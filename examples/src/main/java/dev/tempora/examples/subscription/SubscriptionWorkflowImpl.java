package dev.tempora.examples.subscription;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.workflow.Workflow;
import java.time.Duration;

public class SubscriptionWorkflowImpl implements SubscriptionWorkflow {
  private final BillingActivities billing = Workflow.newActivityStub(BillingActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(5)).setMaximumAttempts(10).build())
          .build());
  private boolean cancelled;
  private String cancelReason;
  private int charges;

  @Override
  public int run(Subscription subscription) {
    while (!cancelled) {
      billing.chargeSubscription(subscription.customerId(), charges + 1, subscription.monthlyPriceCents());
      charges++;
      // Sleep until the next period, waking early if the customer cancels.
      Workflow.await(subscription.billingPeriodOrMonthly(), () -> cancelled);
    }
    billing.confirmCancellation(subscription.customerId(), charges, cancelReason);
    return charges;
  }

  @Override
  public void cancel(String reason) {
    cancelled = true;
    cancelReason = reason;
  }

  @Override
  public String status() {
    return cancelled ? "CANCELLED" : "ACTIVE";
  }

  @Override
  public int charges() {
    return charges;
  }
}
