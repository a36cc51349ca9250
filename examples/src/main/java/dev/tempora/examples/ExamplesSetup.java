package dev.tempora.examples;

import dev.tempora.examples.booking.BookingWorkflowImpl;
import dev.tempora.examples.booking.InMemoryBookingActivities;
import dev.tempora.examples.etl.EtlScenarios;
import dev.tempora.examples.etl.EtlWorkflowImpl;
import dev.tempora.examples.etl.InMemoryEtlActivities;
import dev.tempora.examples.expense.ExpenseWorkflowImpl;
import dev.tempora.examples.expense.InMemoryExpenseActivities;
import dev.tempora.examples.fanout.FanOutWorkflowImpl;
import dev.tempora.examples.ledger.InMemoryLedgerActivities;
import dev.tempora.examples.ledger.LedgerWorkflowImpl;
import dev.tempora.examples.fanout.InMemoryMathActivities;
import dev.tempora.examples.order.InMemoryOrderActivities;
import dev.tempora.examples.order.OrderScenarios;
import dev.tempora.examples.order.OrderWorkflowImpl;
import dev.tempora.examples.signup.InMemorySignupActivities;
import dev.tempora.examples.signup.SignupWorkflowImpl;
import dev.tempora.examples.subscription.InMemoryBillingActivities;
import dev.tempora.examples.subscription.SubscriptionWorkflowImpl;
import dev.tempora.examples.trip.ReservationWorkflowImpl;
import dev.tempora.examples.trip.InMemoryTravelActivities;
import dev.tempora.examples.trip.TripWorkflowImpl;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;

/**
 * The examples as a deployment: every seed workflow, with in-memory activities that record their
 * calls in {@link #CALLS}. This is the class a Lambda names in TEMPORA_WORKER_SETUP, and what the
 * devserver runs.
 */
public final class ExamplesSetup implements WorkerSetup {
  /** Activity calls of this JVM, in order (the demo prints them). */
  public static final CallLog CALLS = new CallLog();

  @Override
  public void configure(Worker worker) {
    worker.registerWorkflowImplementationTypes(OrderWorkflowImpl.class, SubscriptionWorkflowImpl.class,
        ExpenseWorkflowImpl.class, EtlWorkflowImpl.class, FanOutWorkflowImpl.class,
        LedgerWorkflowImpl.class, TripWorkflowImpl.class, ReservationWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(BookingWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(SignupWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new InMemoryOrderActivities(CALLS, OrderScenarios.STOCK),
        new InMemoryBillingActivities(CALLS),
        new InMemoryExpenseActivities(CALLS),
        new InMemoryEtlActivities(CALLS, EtlScenarios.SOURCES, 2),
        new InMemoryMathActivities(CALLS),
        new InMemoryLedgerActivities(CALLS),
        new InMemoryTravelActivities(CALLS));
    worker.registerActivitiesImplementations(new InMemoryBookingActivities(CALLS));
    worker.registerActivitiesImplementations(new InMemorySignupActivities(CALLS));
  }
}
