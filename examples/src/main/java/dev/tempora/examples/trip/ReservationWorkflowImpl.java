package dev.tempora.examples.trip;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.workflow.Workflow;
import java.time.Duration;

public class ReservationWorkflowImpl implements ReservationWorkflow {
  private final TravelActivities travel = Workflow.newActivityStub(TravelActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

  @Override
  public String reserve(String item) {
    return travel.bookItem(item);
  }
}
