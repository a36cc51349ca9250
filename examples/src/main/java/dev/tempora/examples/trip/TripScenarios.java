package dev.tempora.examples.trip;

import dev.tempora.client.WorkflowOptions;
import dev.tempora.examples.CallLog;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.SeedScenario;
import java.util.List;

/** The trip's seed run: three bookings as child workflows, the flight sold out, the others cancelled. */
public final class TripScenarios {
  public static final List<String> ITEMS = List.of("hotel", "car", "sold-out-flight");

  private TripScenarios() {}

  public static SeedScenario soldOutFlight() {
    return SeedScenario.of("trip-children", "trip-1",
        "3 bookings as child workflows in parallel; the flight is sold out, so the parent cancels hotel and car",
        env -> {
          CallLog log = new CallLog();
          env.registerWorkflowImplementationTypes(TripWorkflowImpl.class, ReservationWorkflowImpl.class);
          env.registerActivitiesImplementations(new InMemoryTravelActivities(log));
          return log;
        },
        (env, client) -> Outcome.completed(client.newWorkflowStub(TripWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId("trip-1").build()).book("ada", ITEMS), List.of()),
        (o, c) -> c.expectEquals("trip for ada not booked (sold-out-flight is sold out); cancelled: hotel-confirmed, "
                + "car-confirmed", o.result(), "result")
            .expectEquals(List.of("bookItem(car)", "bookItem(hotel)", "bookItem(sold-out-flight)",
                "cancelBooking(car-confirmed)", "cancelBooking(hotel-confirmed)"),
                o.activityCalls().stream().sorted().toList(), "activity calls"));
  }
}
