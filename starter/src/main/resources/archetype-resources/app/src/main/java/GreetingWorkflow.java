package ${package};

import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;

/** A workflow: greets someone now and follows up a day later. */
@WorkflowInterface
public interface GreetingWorkflow {
  /** Returns the greeting and the follow-up's receipt. */
  @WorkflowMethod
  String greet(String name);
}
