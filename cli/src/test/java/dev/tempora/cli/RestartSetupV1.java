package dev.tempora.cli;

import dev.tempora.examples.etl.EtlWorkflowImpl;
import dev.tempora.examples.expense.ExpenseWorkflowImpl;
import dev.tempora.examples.fanout.FanOutWorkflowImpl;
import dev.tempora.examples.order.OrderWorkflowImpl;
import dev.tempora.examples.signup.SignupWorkflowV1;
import dev.tempora.examples.subscription.SubscriptionWorkflowImpl;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;

/** The restart test's code before a change: the seed workflows, signup without the email check. */
public class RestartSetupV1 implements WorkerSetup {
  @Override
  public void configure(Worker worker) {
    worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class, SubscriptionWorkflowImpl.class,
        ExpenseWorkflowImpl.class, EtlWorkflowImpl.class, FanOutWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(signup());
    worker.registerActivitiesImplementations(new RestartActivities());
  }

  Class<?> signup() {
    return SignupWorkflowV1.class;
  }
}
