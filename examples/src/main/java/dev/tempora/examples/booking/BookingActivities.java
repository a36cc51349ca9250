package dev.tempora.examples.booking;

import dev.tempora.activity.ActivityInterface;
import java.util.List;

/** The venue's seat system. */
@ActivityInterface
public interface BookingActivities {
  /** Holds the seat for the booking; returns the hold's reference. */
  String holdSeat(String bookingId, String seat);

  /** Confirms the held seats; returns the ticket number. */
  String issueTickets(String bookingId, List<String> seats);
}
