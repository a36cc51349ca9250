package dev.tempora.examples.expense;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.workflow.Workflow;
import java.time.Duration;

public class ExpenseWorkflowImpl implements ExpenseWorkflow {
  public static final Duration APPROVAL_TIMEOUT = Duration.ofDays(7);

  private final ExpenseActivities activities = Workflow.newActivityStub(ExpenseActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
  private String status = "WAITING";
  private String decision; // set by a signal: "approved by X" or "rejected by X: reason"
  private boolean approved;

  @Override
  public String process(ExpenseReport report) {
    activities.requestApproval(report.expenseId(), report.employee(), report.amountCents());
    boolean decided = Workflow.await(APPROVAL_TIMEOUT, () -> decision != null);
    if (!decided) {
      status = "TIMED_OUT";
      activities.notifyEmployee(report.employee(), report.expenseId(), "no decision within " + APPROVAL_TIMEOUT.toDays() + " days");
    } else if (approved) {
      String payment = activities.payExpense(report.expenseId(), report.employee(), report.amountCents());
      status = "APPROVED";
      activities.notifyEmployee(report.employee(), report.expenseId(), decision + ", paid by " + payment);
    } else {
      status = "REJECTED";
      activities.notifyEmployee(report.employee(), report.expenseId(), decision);
    }
    return status;
  }

  @Override
  public void approve(String approver) {
    if (decision == null) {
      decision = "approved by " + approver;
      approved = true;
    }
  }

  @Override
  public void reject(String approver, String reason) {
    if (decision == null) {
      decision = "rejected by " + approver + ": " + reason;
    }
  }

  @Override
  public String status() {
    return status;
  }
}
