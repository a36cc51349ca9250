package dev.tempora.examples.subscription;

import java.time.Duration;

/**
 * A customer's subscription to a plan, billed once per {@code billingPeriod} (30 days unless
 * given; the devserver demo uses seconds, so its sleeps go through real timers).
 */
public record Subscription(String subscriptionId, String customerId, String plan, long monthlyPriceCents,
    Duration billingPeriod) {

  public static final Duration MONTHLY = Duration.ofDays(30);

  public Subscription(String subscriptionId, String customerId, String plan, long monthlyPriceCents) {
    this(subscriptionId, customerId, plan, monthlyPriceCents, MONTHLY);
  }

  public Duration billingPeriodOrMonthly() {
    return billingPeriod == null ? MONTHLY : billingPeriod;
  }
}
