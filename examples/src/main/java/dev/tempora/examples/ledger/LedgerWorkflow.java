package dev.tempora.examples.ledger;

import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.util.List;

/**
 * An account that lives as long as the account does: one workflow id, deposits arriving as
 * signals, each booked by an activity. It continues as new every few deposits (or when the
 * engine suggests it), carrying the balance and the deposits not yet booked, so no run's history
 * grows without bound. Returns the final balance when the account is closed.
 */
@WorkflowInterface
public interface LedgerWorkflow {
  @WorkflowMethod
  long run(String accountId, long balance, int runs, List<Long> pending);

  @SignalMethod
  void deposit(long cents);

  @SignalMethod
  void close();

  @QueryMethod
  long balance();
}
