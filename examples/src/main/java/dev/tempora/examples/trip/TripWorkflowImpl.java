package dev.tempora.examples.trip;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.failure.ChildWorkflowFailure;
import dev.tempora.workflow.Async;
import dev.tempora.workflow.ChildWorkflowOptions;
import dev.tempora.workflow.Promise;
import dev.tempora.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One child workflow per item, started together with {@code Async.function} and joined; if any
 * booking fails, the ones that succeeded are cancelled (compensation) and the trip reports why.
 * Each child's id names the trip and the item, so a booking can be looked up on its own.
 */
public class TripWorkflowImpl implements TripWorkflow {
  private final TravelActivities travel = Workflow.newActivityStub(TravelActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

  @Override
  public String book(String traveller, List<String> items) {
    List<Promise<String>> bookings = new ArrayList<>();
    for (String item : items) {
      ReservationWorkflow booking = Workflow.newChildWorkflowStub(ReservationWorkflow.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(Workflow.getInfo().workflowId() + "-" + item).build());
      bookings.add(Async.function(booking::reserve, item));
    }
    List<String> confirmed = new ArrayList<>();
    String failure = null;
    for (Promise<String> p : bookings) {
      try {
        confirmed.add(p.get());
      } catch (ChildWorkflowFailure e) {
        failure = rootMessage(e);
      }
    }
    if (failure == null) {
      return "trip for " + traveller + " booked: " + String.join(", ", confirmed);
    }
    for (String c : confirmed) {
      travel.cancelBooking(c);
    }
    return "trip for " + traveller + " not booked (" + failure + "); cancelled: " + String.join(", ", confirmed);
  }

  /** The innermost cause's message: child failure, activity failure, then the SoldOut failure. */
  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
  }
}
