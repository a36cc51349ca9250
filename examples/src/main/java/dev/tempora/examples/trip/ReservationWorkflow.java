package dev.tempora.examples.trip;

import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;

/** Books one item of a trip; a child workflow of {@link TripWorkflow}. */
@WorkflowInterface
public interface ReservationWorkflow {
  @WorkflowMethod
  String reserve(String item);
}
