package dev.tempora.examples.order;

import dev.tempora.examples.CallLog;
import java.util.HashMap;
import java.util.Map;

/**
 * Order activities over in-memory "systems": a credit ledger, a card processor and a warehouse
 * whose stock is given up front (an order for more than the stock fails with {@link OutOfStockException}).
 * Every call is recorded in the {@link CallLog}.
 */
public final class InMemoryOrderActivities implements OrderActivities {
  private final CallLog log;
  private final Map<String, Integer> stock;
  private final Map<String, Long> reservedCredit = new HashMap<>();
  private final Map<String, Long> charges = new HashMap<>();
  private int nextId = 1;

  public InMemoryOrderActivities(CallLog log, Map<String, Integer> stock) {
    this.log = log;
    this.stock = new HashMap<>(stock);
  }

  @Override
  public synchronized String reserveCredit(String customerId, long amountCents) {
    log.record("reserveCredit", customerId, amountCents);
    String id = "credit-" + nextId++;
    reservedCredit.put(id, amountCents);
    return id;
  }

  @Override
  public synchronized void releaseCredit(String reservationId) {
    log.record("releaseCredit", reservationId);
    reservedCredit.remove(reservationId);
  }

  @Override
  public synchronized String chargeCard(String orderId, long amountCents) {
    log.record("chargeCard", orderId, amountCents);
    String id = "charge-" + nextId++;
    charges.put(id, amountCents);
    return id;
  }

  @Override
  public synchronized void refundCard(String chargeId) {
    log.record("refundCard", chargeId);
    charges.remove(chargeId);
  }

  @Override
  public synchronized String fulfillOrder(String orderId, String sku, int quantity) {
    log.record("fulfillOrder", orderId, sku, quantity);
    int available = stock.getOrDefault(sku, 0);
    if (available < quantity) {
      throw new OutOfStockException(sku + ": " + quantity + " ordered, " + available + " in stock");
    }
    stock.put(sku, available - quantity);
    return "track-" + orderId;
  }

  /** Credit still reserved (reservation id to amount): empty after a compensated order. */
  public synchronized Map<String, Long> reservedCredit() {
    return Map.copyOf(reservedCredit);
  }

  /** Charges not refunded (charge id to amount): empty after a compensated order. */
  public synchronized Map<String, Long> charges() {
    return Map.copyOf(charges);
  }
}
