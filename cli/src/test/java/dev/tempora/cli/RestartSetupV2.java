package dev.tempora.cli;

import dev.tempora.examples.signup.SignupWorkflowImpl;

/** The restart test's changed code: signup checks the email first, behind Workflow.getVersion. */
public class RestartSetupV2 extends RestartSetupV1 {
  @Override
  Class<?> signup() {
    return SignupWorkflowImpl.class;
  }
}
