package dev.tempora.examples.signup;

import dev.tempora.examples.CallLog;

public final class InMemorySignupActivities implements SignupActivities {
  private final CallLog log;

  public InMemorySignupActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public String createAccount(String email) {
    log.record("createAccount", email);
    return "acct-" + email.substring(0, email.indexOf('@'));
  }

  @Override
  public boolean verifyEmail(String email) {
    log.record("verifyEmail", email);
    return true;
  }

  @Override
  public void sendWelcome(String accountId) {
    log.record("sendWelcome", accountId);
  }
}
