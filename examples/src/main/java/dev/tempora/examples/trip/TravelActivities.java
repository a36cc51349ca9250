package dev.tempora.examples.trip;

import dev.tempora.activity.ActivityInterface;

/** Activity types BookItem and CancelBooking. */
@ActivityInterface
public interface TravelActivities {
  /** Returns the booking's confirmation; throws a {@code SoldOut} failure when nothing is left. */
  String bookItem(String item);

  void cancelBooking(String confirmation);
}
