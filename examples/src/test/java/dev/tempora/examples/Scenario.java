package dev.tempora.examples;

import dev.tempora.client.WorkflowClient;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.util.List;

/**
 * A seed scenario as the test suites use it: the {@link SeedScenario} that {@code SeedWorkflows}
 * runs (what to register, how to drive it), plus the exact outcome and history it must produce
 * with the default options (id seed 42, start 2026-01-01T00:00:00Z).
 *
 * @param expectedEvents every history event as {@link HistoryEvent#toString()} ({@code "eventId describe"})
 */
public record Scenario(SeedScenario seed, Outcome expectedOutcome, List<String> expectedEvents) {

  public String name() {
    return seed.name();
  }

  public String workflowId() {
    return seed.workflowId();
  }

  /** Registers the workflow type and fresh activity objects; returns their call log. */
  public CallLog register(TestWorkflowEnvironment env) {
    return seed.register(env);
  }

  /** Starts, signals, sleeps, queries and waits; returns the outcome without activity calls. */
  public Outcome drive(TestWorkflowEnvironment env, WorkflowClient client) {
    return seed.drive(env, client);
  }

  /** Runs the scenario in a fresh environment with these options. */
  public ScenarioRunner.Execution run(TestEnvironmentOptions options) {
    return ScenarioRunner.run(seed, options);
  }

  /** Runs the scenario in a fresh environment with the default options. */
  public ScenarioRunner.Execution run() {
    return run(ScenarioRunner.defaultOptions().build());
  }

  /** {@code "eventId describe"} of each event. */
  public static List<String> describe(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::toString).toList();
  }

  @Override
  public String toString() {
    return name();
  }
}
