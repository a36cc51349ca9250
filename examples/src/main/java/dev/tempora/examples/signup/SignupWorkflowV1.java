package dev.tempora.examples.signup;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.workflow.Workflow;
import java.time.Duration;

/**
 * The signup as first deployed, before the "verify-email" change: kept to show runs started on it
 * finishing on {@link SignupWorkflowImpl}, and to record histories for the replayer check.
 */
public class SignupWorkflowV1 implements SignupWorkflow {
  private final SignupActivities activities = Workflow.newActivityStub(SignupActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

  @Override
  public String signUp(String email) {
    String account = activities.createAccount(email);
    Workflow.sleep(SignupWorkflowImpl.TRIAL);
    activities.sendWelcome(account);
    return account + " welcomed";
  }
}
