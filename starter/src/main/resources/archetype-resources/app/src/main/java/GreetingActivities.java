package ${package};

import dev.tempora.activity.ActivityInterface;

/** Activities: ordinary code with side effects (calls to other services), retried on failure. */
@ActivityInterface
public interface GreetingActivities {
  String composeGreeting(String greeting, String name);

  /** Sends the day-after message; returns a receipt. */
  String sendFollowUp(String name);
}
