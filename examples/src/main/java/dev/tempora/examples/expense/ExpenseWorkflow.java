package dev.tempora.examples.expense;

import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;

/**
 * Asks a manager to approve an expense and waits up to 7 days for the decision: approved expenses
 * are paid, rejected and unanswered ones are not. Returns the final status.
 */
@WorkflowInterface
public interface ExpenseWorkflow {
  @WorkflowMethod
  String process(ExpenseReport report);

  @SignalMethod
  void approve(String approver);

  @SignalMethod
  void reject(String approver, String reason);

  /** WAITING, APPROVED, REJECTED or TIMED_OUT. */
  @QueryMethod
  String status();
}
