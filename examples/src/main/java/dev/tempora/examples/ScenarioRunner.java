package dev.tempora.examples;

import dev.tempora.client.WorkflowClient;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.EngineStats;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.time.Instant;
import java.util.List;

/**
 * Runs a {@link SeedScenario} in a fresh {@link TestWorkflowEnvironment}. With the default options
 * (a fixed id seed and start time) a scenario produces the same outcome and the same history,
 * timestamps included, on every run.
 */
public final class ScenarioRunner {
  public static final long ID_SEED = 42;
  public static final Instant START_TIME = Instant.parse("2026-01-01T00:00:00Z");

  private ScenarioRunner() {}

  /** One run: what the client saw, the workflow's full history, and the engine's counters. */
  public record Execution(Outcome outcome, List<HistoryEvent> history, EngineStats stats) {}

  /** The options every seed run uses; tests add faults or change the runner cache size. */
  public static TestEnvironmentOptions.Builder defaultOptions() {
    return TestEnvironmentOptions.newBuilder().setIdSeed(ID_SEED).setStartTime(START_TIME);
  }

  public static Execution run(SeedScenario scenario) {
    return run(scenario, defaultOptions().build());
  }

  public static Execution run(SeedScenario scenario, TestEnvironmentOptions options) {
    return run(scenario, () -> TestWorkflowEnvironment.newInstance(options));
  }

  /** Runs the scenario in an environment of any backend (in memory, or the embedded AWS stack). */
  public static Execution run(SeedScenario scenario, java.util.function.Supplier<TestWorkflowEnvironment> environment) {
    try (TestWorkflowEnvironment env = environment.get()) {
      CallLog calls = scenario.register(env);
      WorkflowClient client = env.getWorkflowClient();
      Outcome outcome = scenario.drive(env, client);
      env.awaitIdle();
      List<HistoryEvent> history = client.fetchHistory(scenario.workflowId());
      return new Execution(outcome.withActivityCalls(calls.entries()), history, env.stats());
    }
  }
}
