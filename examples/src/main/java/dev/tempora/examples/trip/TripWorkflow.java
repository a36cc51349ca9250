package dev.tempora.examples.trip;

import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.util.List;

/** Books a trip's items (hotel, car, flight, ...) as child workflows, in parallel, all or nothing. */
@WorkflowInterface
public interface TripWorkflow {
  @WorkflowMethod
  String book(String traveller, List<String> items);
}
