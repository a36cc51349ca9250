package dev.tempora.examples.booking;

import dev.tempora.client.UpdateOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.client.WorkflowUpdateException;
import dev.tempora.client.WorkflowUpdateStage;
import dev.tempora.examples.CallLog;
import dev.tempora.examples.Outcome;
import dev.tempora.examples.SeedScenario;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.List;

/** The seat booking's seed run: seats added by updates, two rejected by the validator, one update id repeated. */
public final class BookingScenarios {
  public static final String BOOKING_ID = "booking-1";

  private BookingScenarios() {}

  public static SeedScenario withUpdates() {
    return SeedScenario.of("booking-updates", BOOKING_ID,
        "seats added by updates (each held through an activity); a taken and an unknown seat rejected, recording "
            + "nothing; a repeated update id answered once; checkout issues the tickets",
        BookingScenarios::register,
        (env, client) -> {
          List<String> observed = new ArrayList<>();
          String result = drive(client, BOOKING_ID, observed);
          return Outcome.completed(result, observed);
        },
        (o, c) -> c.expectEquals("ticket-booking-1-2", o.result(), "result")
            .expectEquals(EXPECTED_OBSERVATIONS, o.observations(), "update answers")
            .expectEquals(List.of("holdSeat(booking-1, B4)", "holdSeat(booking-1, B5)",
                "issueTickets(booking-1, [B4, B5])"), o.activityCalls(), "activity calls"));
  }

  public static final List<String> EXPECTED_OBSERVATIONS = List.of("B4: hold-B4", "B4 again: rejected SeatTaken",
      "Z9: rejected UnknownSeat", "B5 (update id add-B5): hold-B5", "B5 (update id add-B5) again: hold-B5",
      "seats: [B4, B5]");

  /** What the customer does; each update's answer (or rejection) goes into {@code observed}. Returns the result. */
  public static String drive(WorkflowClient client, String bookingId, List<String> observed) {
    BookingWorkflow booking = client.newWorkflowStub(BookingWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(bookingId).build());
    WorkflowClient.start(booking::book, bookingId);
    observed.add("B4: " + addSeat(booking, "B4"));
    observed.add("B4 again: " + addSeat(booking, "B4"));
    observed.add("Z9: " + addSeat(booking, "Z9"));
    WorkflowStub stub = WorkflowStub.fromTyped(booking);
    UpdateOptions<String> b5 = UpdateOptions.newBuilder(String.class).setUpdateName("addSeat").setUpdateId("add-B5")
        .setWaitForStage(WorkflowUpdateStage.COMPLETED).build();
    observed.add("B5 (update id add-B5): " + stub.startUpdate(b5, "B5").getResult());
    observed.add("B5 (update id add-B5) again: " + stub.startUpdate(b5, "B5").getResult());
    observed.add("seats: " + booking.seats());
    booking.checkout();
    return stub.getResult(String.class);
  }

  private static String addSeat(BookingWorkflow booking, String seat) {
    try {
      return booking.addSeat(seat);
    } catch (WorkflowUpdateException e) {
      return "rejected " + (e.getCause() instanceof ApplicationFailure f ? f.getType() : e.getMessage());
    }
  }

  public static CallLog register(TestWorkflowEnvironment env) {
    CallLog log = new CallLog();
    env.registerWorkflowImplementationTypes(BookingWorkflowImpl.class);
    env.registerActivitiesImplementations(new InMemoryBookingActivities(log));
    return log;
  }
}
