package dev.tempora.examples.ledger;

import dev.tempora.examples.CallLog;

/** A ledger that only records what it was asked to do. */
public final class InMemoryLedgerActivities implements LedgerActivities {
  private final CallLog log;

  public InMemoryLedgerActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public void postDeposit(String accountId, long cents, long balance) {
    log.record("postDeposit", accountId, cents, balance);
  }

  @Override
  public void sendStatement(String accountId, long balance, int runs) {
    log.record("sendStatement", accountId, balance, runs);
  }
}
