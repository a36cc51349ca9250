package dev.tempora.examples.ledger;

import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.examples.CallLog;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.SeedScenario;
import java.util.ArrayList;
import java.util.List;

/** The ledger's seed run: seven deposits over three runs (continue-as-new every three), then closed. */
public final class LedgerScenarios {
  public static final String ACCOUNT = "acct-42";

  private LedgerScenarios() {}

  public static SeedScenario sevenDeposits() {
    return SeedScenario.of("ledger", "ledger-" + ACCOUNT,
        "an account's deposits as signals; it continues as new every 3 deposits (balance carried), so its "
            + "history stays small; the client follows the chain to the last run's result",
        env -> {
          CallLog log = new CallLog();
          env.registerWorkflowImplementationTypes(LedgerWorkflowImpl.class);
          env.registerActivitiesImplementations(new InMemoryLedgerActivities(log));
          return log;
        },
        (env, client) -> {
          String id = "ledger-" + ACCOUNT;
          LedgerWorkflow ledger = client.newWorkflowStub(LedgerWorkflow.class,
              WorkflowOptions.newBuilder().setWorkflowId(id).build());
          WorkflowClient.start(ledger::run, ACCOUNT, 0L, 1, List.of());
          List<String> observed = new ArrayList<>();
          // A stub bound by id signals and queries whichever run is the latest.
          LedgerWorkflow account = client.newWorkflowStub(LedgerWorkflow.class, id);
          for (long cents : new long[] {100, 250, 400, 50, 700, 125, 375}) {
            account.deposit(cents);
          }
          observed.add("balance after 7 deposits: " + account.balance());
          account.close();
          long balance = WorkflowStub.fromTyped(ledger).getResult(Long.class);
          long continued = client.listExecutions(ListExecutionsRequest.all()).stream()
              .filter(r -> r.execution().workflowId().equals(id))
              .filter(r -> r.status() == WorkflowExecutionStatus.CONTINUED_AS_NEW).count();
          observed.add("runs continued as new: " + continued);
          return Outcome.completed(balance, observed);
        },
        (o, c) -> c.expectEquals("2000", o.result(), "final balance")
            .expectEquals(List.of("balance after 7 deposits: 2000", "runs continued as new: 2"), o.observations(),
                "queries")
            .expectEquals(List.of("postDeposit(acct-42, 100, 100)", "postDeposit(acct-42, 250, 350)",
                "postDeposit(acct-42, 400, 750)", "postDeposit(acct-42, 50, 800)", "postDeposit(acct-42, 700, 1500)",
                "postDeposit(acct-42, 125, 1625)", "postDeposit(acct-42, 375, 2000)",
                "sendStatement(acct-42, 2000, 3)"), o.activityCalls(), "activity calls"));
  }
}
