package dev.tempora.examples.signup;

import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;

/** A new customer's first day: an account, a day of trial, a welcome. */
@WorkflowInterface
public interface SignupWorkflow {
  @WorkflowMethod
  String signUp(String email);
}
