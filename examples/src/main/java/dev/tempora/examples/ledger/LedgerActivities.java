package dev.tempora.examples.ledger;

import dev.tempora.activity.ActivityInterface;

/** Activity types PostDeposit and SendStatement. */
@ActivityInterface
public interface LedgerActivities {
  /** Books one deposit; {@code balance} is the balance after it. */
  void postDeposit(String accountId, long cents, long balance);

  void sendStatement(String accountId, long balance, int runs);
}
