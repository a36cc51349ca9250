package dev.tempora.bench.replay;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/** {@link TemporaSteps}'s shape on Temporal's Java SDK: same loop, same activity, same timers. */
public final class TemporalSteps {
  private TemporalSteps() {}

  @WorkflowInterface
  public interface Steps {
    @WorkflowMethod
    long run(int steps, int timerEvery);
  }

  @ActivityInterface
  public interface StepActivities {
    int step(int i);
  }

  public static final class StepActivitiesImpl implements StepActivities {
    @Override
    public int step(int i) {
      return i;
    }
  }

  public static final class StepsImpl implements Steps {
    private final StepActivities activities = Workflow.newActivityStub(StepActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public long run(int steps, int timerEvery) {
      long sum = 0;
      for (int i = 0; i < steps; i++) {
        sum += activities.step(i);
        if (timerEvery > 0 && (i + 1) % timerEvery == 0) {
          Workflow.sleep(Duration.ofSeconds(1));
        }
      }
      return sum;
    }
  }
}
