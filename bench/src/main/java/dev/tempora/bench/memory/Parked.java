package dev.tempora.bench.memory;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.bench.replay.TemporaSteps.StepActivities;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;

/** A workflow that does a few activity steps, then waits a day on a timer: parked mid-run. */
@WorkflowInterface
public interface Parked {
  Duration WAIT = Duration.ofDays(1);

  @WorkflowMethod
  long run(int stepsBefore);

  final class Impl implements Parked {
    private final StepActivities activities = Workflow.newActivityStub(StepActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public long run(int stepsBefore) {
      long sum = 0;
      for (int i = 0; i < stepsBefore; i++) {
        sum += activities.step(i);
      }
      Workflow.sleep(WAIT);
      return sum + activities.step(stepsBefore);
    }
  }
}
