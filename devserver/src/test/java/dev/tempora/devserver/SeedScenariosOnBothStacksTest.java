package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.examples.Outcome;
import dev.tempora.examples.ScenarioRunner;
import dev.tempora.examples.SeedScenario;
import dev.tempora.examples.SeedScenarios;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed scenarios of the examples, unchanged, on both stacks: the in-memory environment and
 * the embedded AWS stack (DynamoDB Local, ElasticMQ, the real handlers, the Scheduler stand-in
 * for the 7- and 30-day timers). Each must produce what it is meant to on both, and the two
 * stacks must agree on results, query answers and the activities run. (The exact event sequences
 * are asserted in memory, where batching is deterministic; on AWS, how messages coalesce into
 * workflow tasks depends on real timing.)
 */
class SeedScenariosOnBothStacksTest {
  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(worker -> { });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> runs() {
    List<Arguments> out = new ArrayList<>();
    for (SeedScenario s : SeedScenarios.all()) {
      out.add(Arguments.of(s, "in-memory"));
      out.add(Arguments.of(s, "embedded-aws"));
    }
    return out.stream();
  }

  private static Supplier<TestWorkflowEnvironment> environment(String stack) {
    return stack.equals("in-memory")
        ? () -> TestWorkflowEnvironment.newInstance(ScenarioRunner.defaultOptions().build())
        : () -> TestWorkflowEnvironment.newInstance(new EmbeddedAwsBackend(server));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void producesItsExpectedOutcome(SeedScenario scenario, String stack) {
    Outcome outcome = ScenarioRunner.run(scenario, environment(stack)).outcome();
    assertEquals(List.of(), scenario.check(outcome), scenario.name() + " on " + stack + ": " + outcome);
    if (stack.equals("embedded-aws")) {
      Outcome inMemory = ScenarioRunner.run(scenario, environment("in-memory")).outcome();
      assertEquals(inMemory.result(), outcome.result());
      assertEquals(inMemory.failure(), outcome.failure());
      assertEquals(inMemory.observations(), outcome.observations());
      assertEquals(inMemory.activityCalls().stream().sorted().toList(), outcome.activityCalls().stream().sorted().toList(),
          "the same activities ran (parallel ones may finish in another order)");
    }
  }
}
