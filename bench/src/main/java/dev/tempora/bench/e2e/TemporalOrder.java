package dev.tempora.bench.e2e;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/** {@link BenchOrder}'s workload in Temporal's Java SDK: same shape, same options, same activities. */
public final class TemporalOrder {
  private TemporalOrder() {}

  @WorkflowInterface
  public interface OrderWorkflow {
    @WorkflowMethod
    String process(String orderId);
  }

  @ActivityInterface
  public interface OrderActivities {
    String reserveCredit(String orderId);

    String chargeCard(String orderId);

    String fulfillOrder(String orderId);
  }

  public static class OrderWorkflowImpl implements OrderWorkflow {
    private final OrderActivities activities = Workflow.newActivityStub(OrderActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public String process(String orderId) {
      String reservation = activities.reserveCredit(orderId);
      String charge = activities.chargeCard(orderId);
      String tracking = activities.fulfillOrder(orderId);
      return reservation + "/" + charge + "/" + tracking;
    }
  }

  public static class OrderActivitiesImpl implements OrderActivities {
    @Override
    public String reserveCredit(String orderId) {
      return "r-" + orderId;
    }

    @Override
    public String chargeCard(String orderId) {
      return "c-" + orderId;
    }

    @Override
    public String fulfillOrder(String orderId) {
      return "t-" + orderId;
    }
  }
}
