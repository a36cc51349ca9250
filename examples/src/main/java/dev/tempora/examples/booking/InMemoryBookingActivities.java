package dev.tempora.examples.booking;

import dev.tempora.examples.CallLog;
import java.util.List;

/** Booking activities that only record what they were asked to do. */
public final class InMemoryBookingActivities implements BookingActivities {
  private final CallLog log;

  public InMemoryBookingActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public String holdSeat(String bookingId, String seat) {
    log.record("holdSeat", bookingId, seat);
    return "hold-" + seat;
  }

  @Override
  public String issueTickets(String bookingId, List<String> seats) {
    log.record("issueTickets", bookingId, seats);
    return "ticket-" + bookingId + "-" + seats.size();
  }
}
