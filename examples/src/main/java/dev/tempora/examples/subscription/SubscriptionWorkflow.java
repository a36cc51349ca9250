package dev.tempora.examples.subscription;

import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;

/**
 * Charges a subscription once per 30-day billing period, from the start until the customer
 * cancels; returns how many periods were charged. Each period is a durable timer: the workflow
 * holds no thread or process while it waits a month.
 */
@WorkflowInterface
public interface SubscriptionWorkflow {
  @WorkflowMethod
  int run(Subscription subscription);

  /** Stops billing: the current period, already paid, runs out and no further charge is made. */
  @SignalMethod
  void cancel(String reason);

  /** ACTIVE or CANCELLED. */
  @QueryMethod
  String status();

  @QueryMethod
  int charges();
}
