package dev.tempora.workflow;

import dev.tempora.client.WorkflowExecution;

/**
 * Another workflow, seen from workflow code ({@code Workflow.newUntypedExternalWorkflowStub}): a
 * signal or a cancel request is a command recorded in this workflow's history and sent once; it
 * goes to the id's open run (or to the run the execution names).
 */
public interface ExternalWorkflowStub {
  WorkflowExecution getExecution();

  void signal(String signalName, Object... args);

  void cancel();
}
