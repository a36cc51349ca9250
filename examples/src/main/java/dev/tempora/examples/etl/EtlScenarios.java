package dev.tempora.examples.etl;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowFailedException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.examples.CallLog;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.SeedScenario;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.Map;

/** The ETL pipeline's seed runs: transient transform failures retried, and a malformed row that is not. */
public final class EtlScenarios {
  public static final Map<String, List<String>> SOURCES = Map.of(
      "orders.csv", List.of("1,alice,42", "2,bob,17", "3,carol,99"),
      "legacy.csv", List.of("1,alice,42", "2;bob;17", "3,carol,99"));
  public static final EtlJob ORDERS = new EtlJob("etl-1", "orders.csv", "warehouse.orders");
  public static final EtlJob LEGACY = new EtlJob("etl-2", "legacy.csv", "warehouse.legacy");

  private EtlScenarios() {}

  public static SeedScenario retries() {
    return SeedScenario.of("etl-retries", ORDERS.jobId(),
        "Transform fails twice, succeeds on attempt 3 after 1 s + 2 s of backoff; history shows one completion, attempt 3",
        env -> register(env, 2), (env, client) -> drive(client, ORDERS),
        (o, c) -> c.expectEquals(new EtlReport("etl-1", 3, 3).toString(), o.result(), "result")
            .expectEquals(List.of("extract(orders.csv)", "transform(3 rows, attempt 1)", "transform(3 rows, attempt 2)",
                "transform(3 rows, attempt 3)", "load(warehouse.orders, 3 rows)"), o.activityCalls(), "activity calls"));
  }

  public static SeedScenario nonRetryable() {
    return SeedScenario.of("etl-non-retryable", LEGACY.jobId(),
        "row 2 is malformed: Transform fails non-retryably on attempt 1 and the workflow fails; nothing is loaded",
        env -> register(env, 0), (env, client) -> drive(client, LEGACY),
        (o, c) -> c.expect(o.isFailure() && o.failure().contains("ActivityFailure(Transform, attempt 1)")
                && o.failure().contains("MalformedRow"), "workflow fails with the MalformedRow transform failure, got " + o)
            .expectEquals(List.of("extract(legacy.csv)", "transform(3 rows, attempt 1)"), o.activityCalls(),
                "activity calls"));
  }

  static CallLog register(TestWorkflowEnvironment env, int transientTransformFailures) {
    CallLog log = new CallLog();
    env.registerWorkflowImplementationTypes(EtlWorkflowImpl.class);
    env.registerActivitiesImplementations(new InMemoryEtlActivities(log, SOURCES, transientTransformFailures));
    return log;
  }

  static Outcome drive(WorkflowClient client, EtlJob job) {
    EtlWorkflow etl = client.newWorkflowStub(EtlWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId(job.jobId()).build());
    try {
      return Outcome.completed(etl.run(job), List.of());
    } catch (WorkflowFailedException e) {
      return Outcome.failed(e, List.of());
    }
  }
}
