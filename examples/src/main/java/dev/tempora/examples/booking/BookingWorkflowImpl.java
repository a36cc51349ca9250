package dev.tempora.examples.booking;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class BookingWorkflowImpl implements BookingWorkflow {
  /** The hall's rows and seats per row: A1..C8. */
  private static final String ROWS = "ABC";
  private static final int SEATS_PER_ROW = 8;
  private static final int MAX_SEATS = 4;

  private final BookingActivities venue = Workflow.newActivityStub(BookingActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
  private final List<String> seats = new ArrayList<>();
  private boolean checkedOut;

  @Override
  public String book(String bookingId) {
    Workflow.await(() -> checkedOut);
    return venue.issueTickets(bookingId, seats);
  }

  @Override
  public void validateAddSeat(String seat) {
    boolean exists = seat != null && seat.length() >= 2 && ROWS.indexOf(seat.charAt(0)) >= 0
        && seat.substring(1).chars().allMatch(Character::isDigit)
        && Integer.parseInt(seat.substring(1)) >= 1 && Integer.parseInt(seat.substring(1)) <= SEATS_PER_ROW;
    if (!exists) {
      throw ApplicationFailure.newFailure("there is no seat " + seat, "UnknownSeat");
    }
    if (seats.contains(seat)) {
      throw ApplicationFailure.newFailure("seat " + seat + " is already in this booking", "SeatTaken");
    }
    if (seats.size() >= MAX_SEATS || checkedOut) {
      throw ApplicationFailure.newFailure("a booking takes at most " + MAX_SEATS + " seats, before checkout",
          "BookingClosed");
    }
  }

  @Override
  public String addSeat(String seat) {
    seats.add(seat); // before the activity: a second update for the same seat is rejected meanwhile
    return venue.holdSeat(Workflow.getInfo().workflowId(), seat);
  }

  @Override
  public void checkout() {
    checkedOut = true;
  }

  @Override
  public List<String> seats() {
    return seats;
  }
}
