package dev.tempora.examples.trip;

import dev.tempora.examples.CallLog;
import dev.tempora.failure.ApplicationFailure;

/** Books everything except items whose name starts with {@code sold-out}. */
public final class InMemoryTravelActivities implements TravelActivities {
  private final CallLog log;

  public InMemoryTravelActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public String bookItem(String item) {
    log.record("bookItem", item);
    if (item.startsWith("sold-out")) {
      throw ApplicationFailure.newNonRetryableFailure(item + " is sold out", "SoldOut");
    }
    return item + "-confirmed";
  }

  @Override
  public void cancelBooking(String confirmation) {
    log.record("cancelBooking", confirmation);
  }
}
