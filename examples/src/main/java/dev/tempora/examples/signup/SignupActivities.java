package dev.tempora.examples.signup;

import dev.tempora.activity.ActivityInterface;

@ActivityInterface
public interface SignupActivities {
  /** Returns the new account's id. */
  String createAccount(String email);

  /** Sends a verification link and returns once it is confirmed (added by the "verify-email" change). */
  boolean verifyEmail(String email);

  void sendWelcome(String accountId);
}
