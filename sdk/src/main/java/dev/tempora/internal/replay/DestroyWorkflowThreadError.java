package dev.tempora.internal.replay;

/** Unwinds a parked workflow thread when its runner is discarded. Workflow code must not catch it. */
final class DestroyWorkflowThreadError extends Error {
  DestroyWorkflowThreadError() {
    super("workflow runner discarded", null, false, false);
  }
}
