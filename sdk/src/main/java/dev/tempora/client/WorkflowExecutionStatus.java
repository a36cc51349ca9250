package dev.tempora.client;

public enum WorkflowExecutionStatus {
  RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED, CONTINUED_AS_NEW, TIMED_OUT;

  public boolean isClosed() {
    return this != RUNNING;
  }
}
