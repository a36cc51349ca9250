package dev.tempora.bench.replay;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * The benchmark workflow shape on Tempora: {@code steps} sequential activity calls, with a
 * one-second timer after every {@code timerEvery}-th step (0: no timers). {@link TemporalSteps} is
 * the same shape written against Temporal's SDK, so both replayers do the same work per step.
 */
public final class TemporaSteps {
  private TemporaSteps() {}

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
