package dev.tempora.engine;

import dev.tempora.client.WorkflowOptions;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.time.Instant;

/** Shared test fixtures: environments with a fixed clock and id seed. */
final class Envs {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Envs() {}

  static TestWorkflowEnvironment env() {
    return env(600);
  }

  static TestWorkflowEnvironment env(int cacheSize) {
    return TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setStartTime(T0).setIdSeed(7).setRunnerCacheSize(cacheSize).build());
  }

  static WorkflowOptions id(String workflowId) {
    return WorkflowOptions.newBuilder().setWorkflowId(workflowId).build();
  }
}
