package dev.tempora.examples.fanout;

import dev.tempora.client.WorkflowOptions;
import dev.tempora.examples.CallLog;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.SeedScenario;
import java.util.List;
import java.util.stream.IntStream;

/** The fan-out's seed run: 20 activities in parallel, one join. */
public final class FanOutScenarios {
  public static final int COUNT = 20;

  private FanOutScenarios() {}

  public static SeedScenario twenty() {
    return SeedScenario.of("fanout-20", "fanout-1",
        "20 Square activities started with Async.function in one task, joined with Promise.allOf, summed",
        env -> {
          CallLog log = new CallLog();
          env.registerWorkflowImplementationTypes(FanOutWorkflowImpl.class);
          env.registerActivitiesImplementations(new InMemoryMathActivities(log));
          return log;
        },
        (env, client) -> {
          FanOutWorkflow w = client.newWorkflowStub(FanOutWorkflow.class,
              WorkflowOptions.newBuilder().setWorkflowId("fanout-1").build());
          return Outcome.completed(w.sumOfSquares(COUNT), List.of());
        },
        (o, c) -> c.expectEquals(String.valueOf(COUNT * (COUNT + 1) * (2 * COUNT + 1) / 6), o.result(), "sum of squares")
            .expectEquals(IntStream.rangeClosed(1, COUNT).mapToObj(i -> "square(" + i + ")").sorted().toList(),
                o.activityCalls().stream().sorted().toList(),
                "activity calls"));
  }
}
