package dev.tempora.examples.signup;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.workflow.Workflow;
import java.time.Duration;

/**
 * The signup after the "verify-email" change: new signups verify the address before their account
 * is made. Runs that started before the change (mid-trial when it was deployed) have no marker for
 * it and get {@link Workflow#DEFAULT_VERSION}: they keep the old path, so their history replays.
 */
public class SignupWorkflowImpl implements SignupWorkflow {
  static final Duration TRIAL = Duration.ofDays(1);
  static final String VERIFY_EMAIL = "verify-email";

  private final SignupActivities activities = Workflow.newActivityStub(SignupActivities.class,
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

  @Override
  public String signUp(String email) {
    int version = Workflow.getVersion(VERIFY_EMAIL, Workflow.DEFAULT_VERSION, 1);
    boolean verified = version >= 1 && activities.verifyEmail(email);
    String account = activities.createAccount(email);
    Workflow.sleep(TRIAL);
    activities.sendWelcome(account);
    return account + " welcomed" + (verified ? ", email verified" : "");
  }
}
