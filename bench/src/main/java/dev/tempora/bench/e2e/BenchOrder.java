package dev.tempora.bench.e2e;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.LocalActivityOptions;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * The throughput workload in Tempora's API: the order saga's happy path (reserve credit, charge
 * card, fulfil; three sequential activities, no compensation) with activities that do no work,
 * so that what is measured is the engine. {@link TemporalOrder} is the same shape in Temporal's API.
 */
public final class BenchOrder {
  private BenchOrder() {}

  /** Activity steps per workflow; the per-step figures divide by this. */
  public static final int STEPS = 3;

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
    // Only a start-to-close timeout, as in the Temporal twin: a schedule-to-close timeout would
    // add a timer per activity on Tempora's side and is not what this benchmark compares.
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

  /** The same saga with its three steps as local activities (issue 13): run in the coordinator's task. */
  @WorkflowInterface
  public interface LocalOrderWorkflow {
    @WorkflowMethod
    String process(String orderId);
  }

  public static class LocalOrderWorkflowImpl implements LocalOrderWorkflow {
    private final OrderActivities activities = Workflow.newLocalActivityStub(OrderActivities.class,
        LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public String process(String orderId) {
      String reservation = activities.reserveCredit(orderId);
      String charge = activities.chargeCard(orderId);
      String tracking = activities.fulfillOrder(orderId);
      return reservation + "/" + charge + "/" + tracking;
    }
  }

  /** Trivially cheap: string concatenation only. */
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

  /** The result a correct run of {@code process(orderId)} returns (checked for every workflow). */
  public static String expectedResult(String orderId) {
    return "r-" + orderId + "/c-" + orderId + "/t-" + orderId;
  }
}
