package ${package};

import dev.tempora.activity.ActivityOptions;
import dev.tempora.workflow.Workflow;
import java.time.Duration;

/**
 * Workflow code is deterministic: it calls activities through a stub and waits with
 * {@link Workflow#sleep}, never with Thread.sleep or the wall clock, so that the engine can replay it
 * from its history after any crash.
 */
public class GreetingWorkflowImpl implements GreetingWorkflow {
  private final GreetingActivities activities = Workflow.newActivityStub(GreetingActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

  @Override
  public String greet(String name) {
    String greeting = activities.composeGreeting("Hello", name);
    // A durable timer: nothing runs (or is billed) while the workflow waits; tests skip the day.
    Workflow.sleep(Duration.ofDays(1));
    String receipt = activities.sendFollowUp(name);
    return greeting + " " + receipt;
  }
}
