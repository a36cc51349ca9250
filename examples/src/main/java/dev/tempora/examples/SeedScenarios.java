package dev.tempora.examples;

import dev.tempora.examples.booking.BookingScenarios;
import dev.tempora.examples.etl.EtlScenarios;
import dev.tempora.examples.expense.ExpenseScenarios;
import dev.tempora.examples.fanout.FanOutScenarios;
import dev.tempora.examples.ledger.LedgerScenarios;
import dev.tempora.examples.order.OrderScenarios;
import dev.tempora.examples.signup.SignupScenarios;
import dev.tempora.examples.subscription.SubscriptionScenarios;
import dev.tempora.examples.trip.TripScenarios;
import java.util.List;

/** Every seed scenario, in the order {@link SeedWorkflows} runs them. */
public final class SeedScenarios {
  private SeedScenarios() {}

  public static List<SeedScenario> all() {
    return List.of(
        OrderScenarios.compensation(),
        OrderScenarios.success(),
        SubscriptionScenarios.cancelledAfterThreeMonths(),
        ExpenseScenarios.approved(),
        ExpenseScenarios.timedOut(),
        EtlScenarios.retries(),
        EtlScenarios.nonRetryable(),
        FanOutScenarios.twenty(),
        BookingScenarios.withUpdates(),
        SignupScenarios.versionChange(),
        LedgerScenarios.sevenDeposits(),
        TripScenarios.soldOutFlight());
  }
}
