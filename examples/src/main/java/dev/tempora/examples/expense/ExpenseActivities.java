package dev.tempora.examples.expense;

import dev.tempora.activity.ActivityInterface;

/** Activity types RequestApproval, PayExpense and NotifyEmployee. */
@ActivityInterface
public interface ExpenseActivities {
  void requestApproval(String expenseId, String employee, long amountCents);

  /** Returns the payment id. */
  String payExpense(String expenseId, String employee, long amountCents);

  void notifyEmployee(String employee, String expenseId, String decision);
}
