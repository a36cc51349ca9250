package dev.tempora.examples.booking;

import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.UpdateMethod;
import dev.tempora.workflow.UpdateValidatorMethod;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.util.List;

/**
 * A seat booking the customer builds with updates: each seat is checked by the validator (a taken
 * or unknown seat is rejected at once, and nothing is recorded), held through an activity, and
 * the hold's reference is the update's answer. Checkout issues the tickets.
 */
@WorkflowInterface
public interface BookingWorkflow {
  @WorkflowMethod
  String book(String bookingId);

  @UpdateMethod
  String addSeat(String seat);

  @UpdateValidatorMethod(updateName = "addSeat")
  void validateAddSeat(String seat);

  @SignalMethod
  void checkout();

  @QueryMethod
  List<String> seats();
}
