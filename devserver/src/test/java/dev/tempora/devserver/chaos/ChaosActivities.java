package dev.tempora.devserver.chaos;

import dev.tempora.activity.Activity;
import dev.tempora.examples.etl.EtlActivities;
import dev.tempora.examples.etl.TransformUnavailableException;
import dev.tempora.examples.expense.ExpenseActivities;
import dev.tempora.examples.fanout.MathActivities;
import dev.tempora.examples.order.OrderActivities;
import dev.tempora.examples.order.OutOfStockException;
import dev.tempora.examples.subscription.BillingActivities;
import dev.tempora.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed workflows' activity interfaces with deterministic results (a function of the arguments
 * and the attempt number, never of what ran before, so concurrent workflows and repeated attempts
 * cannot change a result), recording every execution in an {@link AttemptLedger}. A few
 * executions hang past the activity queue's visibility timeout, as a stalled worker would, so the
 * attempt is delivered again while the first is still running.
 */
final class ChaosActivities implements OrderActivities, BillingActivities, ExpenseActivities, EtlActivities,
    MathActivities {
  /** Orders of more than this many items are out of stock. */
  static final int STOCK_PER_ORDER = 2;
  /** Transform fails transiently on attempts before this one. */
  static final int TRANSFORM_SUCCEEDS_ON_ATTEMPT = 3;

  private final AttemptLedger ledger;
  private final double hangProbability;
  private final Duration hang;
  private final Random random;
  private final AtomicLong stalls = new AtomicLong();

  ChaosActivities(AttemptLedger ledger, double hangProbability, Duration hang, long seed) {
    this.ledger = ledger;
    this.hangProbability = hangProbability;
    this.hang = hang;
    this.random = new Random(seed);
  }

  private void run() {
    ledger.recordCurrent();
    boolean stall;
    synchronized (random) {
      stall = random.nextDouble() < hangProbability;
    }
    if (stall) {
      stalls.incrementAndGet();
      try {
        Thread.sleep(hang);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Executions that hung past the visibility timeout. */
  long stalls() {
    return stalls.get();
  }

  // ---- order
  @Override
  public String reserveCredit(String customerId, long amountCents) {
    run();
    return "credit-" + customerId + "-" + amountCents;
  }

  @Override
  public void releaseCredit(String reservationId) {
    run();
  }

  @Override
  public String chargeCard(String orderId, long amountCents) {
    run();
    return "charge-" + orderId;
  }

  @Override
  public void refundCard(String chargeId) {
    run();
  }

  @Override
  public String fulfillOrder(String orderId, String sku, int quantity) {
    run();
    if (quantity > STOCK_PER_ORDER) {
      throw new OutOfStockException(sku + ": " + quantity + " ordered, " + STOCK_PER_ORDER + " in stock");
    }
    return "track-" + orderId;
  }

  // ---- subscription
  @Override
  public String chargeSubscription(String customerId, int period, long amountCents) {
    run();
    return "invoice-" + customerId + "-" + period;
  }

  @Override
  public void confirmCancellation(String customerId, int periodsCharged, String reason) {
    run();
  }

  // ---- expense
  @Override
  public void requestApproval(String expenseId, String employee, long amountCents) {
    run();
  }

  @Override
  public String payExpense(String expenseId, String employee, long amountCents) {
    run();
    return "payment-" + expenseId;
  }

  @Override
  public void notifyEmployee(String employee, String expenseId, String decision) {
    run();
  }

  // ---- etl
  @Override
  public List<String> extract(String source) {
    run();
    return SeedKind.rowsOf(source);
  }

  @Override
  public List<String> transform(List<String> rows) {
    run();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] f = rows.get(i).split(",");
      if (f.length != 3) {
        throw ApplicationFailure.newNonRetryableFailure("row " + (i + 1) + " is malformed: " + rows.get(i), "MalformedRow");
      }
      out.add(f[1] + "=" + f[2]);
    }
    if (Activity.getExecutionContext().getInfo().attempt() < TRANSFORM_SUCCEEDS_ON_ATTEMPT) {
      throw new TransformUnavailableException("transform service unavailable");
    }
    return out;
  }

  @Override
  public int load(String target, List<String> rows) {
    run();
    return rows.size();
  }

  // ---- fan-out
  @Override
  public long square(int n) {
    run();
    return (long) n * n;
  }
}
