package dev.tempora.examples.order;

/** An order to process: who pays how much for how many of which item. */
public record Order(String orderId, String customerId, String sku, int quantity, long amountCents) {}
