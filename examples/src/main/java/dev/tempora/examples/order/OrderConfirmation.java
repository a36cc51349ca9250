package dev.tempora.examples.order;

/** What a processed order returns: the ids of the credit reservation, the card charge and the shipment. */
public record OrderConfirmation(String orderId, String reservationId, String chargeId, String trackingNumber) {}
