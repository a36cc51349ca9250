package dev.tempora.examples.fanout;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class FanOutWorkflowImpl implements FanOutWorkflow {
  private final MathActivities math = Workflow.newActivityStub(MathActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

  @Override
  public long sumOfSquares(int count) {
    List<Promise<Long>> squares = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      squares.add(Async.function(math::square, i)); // all scheduled in the same workflow task
    }
    Promise.allOf(squares).get(); // one wait for all of them
    long sum = 0;
    for (Promise<Long> p : squares) {
      sum += p.get();
    }
    return sum;
  }
}
