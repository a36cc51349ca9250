package dev.tempora.examples.ledger;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.workflow.ContinueAsNewOptions;
import dev.tempora.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class LedgerWorkflowImpl implements LedgerWorkflow {
  /** Deposits one run books before it continues as new: small, so the demo shows the chain. */
  static final int DEPOSITS_PER_RUN = 3;

  private final LedgerActivities ledger = Workflow.newActivityStub(LedgerActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
  private final List<Long> pending = new ArrayList<>();
  private boolean closed;
  private long balance;

  @Override
  public long run(String accountId, long openingBalance, int runs, List<Long> carried) {
    balance = openingBalance;
    // Deposits carried from the last run come before those signalled to this one.
    pending.addAll(0, carried);
    int booked = 0;
    while (true) {
      Workflow.await(() -> !pending.isEmpty() || closed);
      if (pending.isEmpty()) {
        ledger.sendStatement(accountId, balance, runs);
        return balance;
      }
      long cents = pending.removeFirst();
      balance += cents;
      ledger.postDeposit(accountId, cents, balance);
      booked++;
      if (!closed && (booked >= DEPOSITS_PER_RUN || Workflow.getInfo().isContinueAsNewSuggested())) {
        // A fresh run with an empty history: the state travels as its arguments.
        LedgerWorkflow next = Workflow.newContinueAsNewStub(LedgerWorkflow.class,
            ContinueAsNewOptions.getDefaultInstance());
        next.run(accountId, balance, runs + 1, new ArrayList<>(pending));
      }
    }
  }

  @Override
  public void deposit(long cents) {
    pending.add(cents);
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public long balance() {
    return balance;
  }
}
