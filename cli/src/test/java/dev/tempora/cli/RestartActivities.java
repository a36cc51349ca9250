package dev.tempora.cli;

import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityInfo;
import dev.tempora.examples.etl.EtlActivities;
import dev.tempora.examples.etl.TransformUnavailableException;
import dev.tempora.examples.expense.ExpenseActivities;
import dev.tempora.examples.fanout.MathActivities;
import dev.tempora.examples.order.OrderActivities;
import dev.tempora.examples.order.OutOfStockException;
import dev.tempora.examples.signup.SignupActivities;
import dev.tempora.examples.subscription.BillingActivities;
import dev.tempora.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed workflows' activities for the restart test, run in the devserver's process: results are
 * functions of the arguments and the attempt (nothing kept in memory, which a kill would lose), each
 * takes a little time (so a kill finds some running), and each execution is appended to a ledger
 * file ({@code -Dtempora.restart.ledger}) with the devserver's generation ({@code
 * -Dtempora.restart.generation}): the test reads which ran, how often, in which process.
 */
public final class RestartActivities implements OrderActivities, BillingActivities, ExpenseActivities, EtlActivities,
    MathActivities, SignupActivities {
  static final int STOCK_PER_ORDER = 2;
  static final int TRANSFORM_SUCCEEDS_ON_ATTEMPT = 3;
  static final Map<String, List<String>> SOURCES = Map.of(
      "orders.csv", List.of("1,alice,42", "2,bob,17", "3,carol,99"),
      "legacy.csv", List.of("1,alice,42", "2;bob;17", "3,carol,99"));
  private static final long WORK_MILLIS = 60;

  private static void run() {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    try {
      Thread.sleep(WORK_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String ledger = System.getProperty("tempora.restart.ledger");
    if (ledger != null) {
      String line = System.getProperty("tempora.restart.generation", "0") + " " + info.workflowId() + " "
          + info.runId() + " " + info.activityId() + " " + info.attempt() + " " + info.activityType() + "\n";
      synchronized (RestartActivities.class) {
        try {
          Files.writeString(Path.of(ledger), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

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

  @Override
  public String chargeSubscription(String customerId, int period, long amountCents) {
    run();
    return "invoice-" + customerId + "-" + period;
  }

  @Override
  public void confirmCancellation(String customerId, int periodsCharged, String reason) {
    run();
  }

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

  @Override
  public List<String> extract(String source) {
    run();
    return SOURCES.getOrDefault(source, List.of());
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

  @Override
  public long square(int n) {
    run();
    return (long) n * n;
  }

  @Override
  public String createAccount(String email) {
    run();
    return "acct-" + email;
  }

  @Override
  public boolean verifyEmail(String email) {
    run();
    return true;
  }

  @Override
  public void sendWelcome(String accountId) {
    run();
  }
}
