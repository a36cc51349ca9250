package dev.tempora.examples.subscription;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.examples.CallLog;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.SeedScenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The subscription's seed run: charged at days 0, 30 and 60, cancelled on day 75. */
public final class SubscriptionScenarios {
  public static final Subscription SUBSCRIPTION = new Subscription("sub-1", "cust-9", "pro", 1_500);

  private SubscriptionScenarios() {}

  public static SeedScenario cancelledAfterThreeMonths() {
    return SeedScenario.of("subscription", SUBSCRIPTION.subscriptionId(),
        "monthly charges on days 0, 30 and 60 (durable 30-day timers); a cancel signal on day 75 ends it",
        env -> {
          CallLog log = new CallLog();
          env.registerWorkflowImplementationTypes(SubscriptionWorkflowImpl.class);
          env.registerActivitiesImplementations(new InMemoryBillingActivities(log));
          return log;
        },
        (env, client) -> {
          SubscriptionWorkflow sub = client.newWorkflowStub(SubscriptionWorkflow.class,
              WorkflowOptions.newBuilder().setWorkflowId(SUBSCRIPTION.subscriptionId()).build());
          List<String> observed = new ArrayList<>();
          WorkflowClient.start(sub::run, SUBSCRIPTION);
          observed.add("day 0: " + sub.status() + ", " + sub.charges() + " charge(s)");
          env.sleep(Duration.ofDays(45));
          observed.add("day 45: " + sub.status() + ", " + sub.charges() + " charge(s)");
          env.sleep(Duration.ofDays(30));
          observed.add("day 75: " + sub.status() + ", " + sub.charges() + " charge(s)");
          sub.cancel("switching plans");
          int charged = WorkflowStub.fromTyped(sub).getResult(Integer.class);
          observed.add("after cancel: " + sub.status() + ", " + sub.charges() + " charge(s)");
          return Outcome.completed(charged, observed);
        },
        (o, c) -> c.expectEquals("3", o.result(), "periods charged")
            .expectEquals(List.of("chargeSubscription(cust-9, 1, 1500)", "chargeSubscription(cust-9, 2, 1500)",
                "chargeSubscription(cust-9, 3, 1500)", "confirmCancellation(cust-9, 3, switching plans)"),
                o.activityCalls(), "activity calls")
            .expectEquals(List.of("day 0: ACTIVE, 1 charge(s)", "day 45: ACTIVE, 2 charge(s)",
                "day 75: ACTIVE, 3 charge(s)", "after cancel: CANCELLED, 3 charge(s)"), o.observations(), "queries"));
  }
}
