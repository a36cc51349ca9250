package ${package};

/** The activities' implementation; replace the bodies with calls to your services. */
public class GreetingActivitiesImpl implements GreetingActivities {
  @Override
  public String composeGreeting(String greeting, String name) {
    return greeting + ", " + name + "!";
  }

  @Override
  public String sendFollowUp(String name) {
    return "(follow-up sent to " + name + ")";
  }
}
