package dev.tempora.devserver;

import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.time.Instant;

/**
 * The two stacks the *OnBothStacksTest scenarios run on, by the name their parameters give:
 * {@code "in-memory"} (the in-memory engine, its clock at a fixed start) and {@code "embedded-aws"}
 * (the test class's devserver through {@link EmbeddedAwsBackend}).
 */
final class BothStacks {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private BothStacks() {}

  static TestWorkflowEnvironment environment(String stack, DevServer server) {
    return environment(stack, server, START);
  }

  /** {@code inMemoryStart}: where the in-memory clock starts (the embedded stack's is the devserver's). */
  static TestWorkflowEnvironment environment(String stack, DevServer server, Instant inMemoryStart) {
    return stack.equals("in-memory")
        ? TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setStartTime(inMemoryStart).build())
        : TestWorkflowEnvironment.newInstance(new EmbeddedAwsBackend(server));
  }
}
