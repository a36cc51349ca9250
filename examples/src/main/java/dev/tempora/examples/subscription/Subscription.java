package dev.tempora.examples.subscription;

/** A customer's monthly subscription to a plan. */
public record Subscription(String subscriptionId, String customerId, String plan, long monthlyPriceCents) {}
