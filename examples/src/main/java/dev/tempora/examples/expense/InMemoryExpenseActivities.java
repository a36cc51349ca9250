package dev.tempora.examples.expense;

import dev.tempora.examples.CallLog;

/** Expense activities that only record what they were asked to do. */
public final class InMemoryExpenseActivities implements ExpenseActivities {
  private final CallLog log;

  public InMemoryExpenseActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public void requestApproval(String expenseId, String employee, long amountCents) {
    log.record("requestApproval", expenseId, employee, amountCents);
  }

  @Override
  public String payExpense(String expenseId, String employee, long amountCents) {
    log.record("payExpense", expenseId, employee, amountCents);
    return "payment-" + expenseId;
  }

  @Override
  public void notifyEmployee(String employee, String expenseId, String decision) {
    log.record("notifyEmployee", employee, expenseId, decision);
  }
}
