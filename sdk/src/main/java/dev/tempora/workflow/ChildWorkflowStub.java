package dev.tempora.workflow;

import dev.tempora.client.WorkflowExecution;

/**
 * An untyped child workflow stub ({@code Workflow.newUntypedChildWorkflowStub}): {@code execute}
 * starts the child and waits for its result; {@code executeAsync} starts it and returns a promise.
 * A stub starts one child.
 */
public interface ChildWorkflowStub {
  String getWorkflowType();

  ChildWorkflowOptions getOptions();

  /** Completes when the child has started (with its workflow and run id), fails if it could not start. */
  Promise<WorkflowExecution> getExecution();

  <R> R execute(Class<R> resultClass, Object... args);

  <R> Promise<R> executeAsync(Class<R> resultClass, Object... args);

  /** Signals the started child (recorded in the parent's history, sent once). */
  void signal(String signalName, Object... args);
}
