package dev.tempora.internal.replay;

import dev.tempora.client.WorkflowExecution;
import dev.tempora.workflow.ExternalWorkflowStub;

/** Another workflow seen from workflow code: its signals and cancel requests are commands. */
public final class ExternalWorkflowStubImpl implements ExternalWorkflowStub {
  private final WorkflowExecution execution;

  public ExternalWorkflowStubImpl(WorkflowExecution execution) {
    WorkflowInternal.currentThread();
    this.execution = execution;
  }

  @Override
  public WorkflowExecution getExecution() {
    return execution;
  }

  @Override
  public void signal(String signalName, Object... args) {
    WorkflowInternal.context().signalExternal(execution.workflowId(), execution.runId(), signalName,
        WorkflowInternal.context().converter().toArgsPayload(args == null ? new Object[0] : args));
  }

  @Override
  public void cancel() {
    WorkflowInternal.context().cancelExternal(execution.workflowId(), execution.runId());
  }
}
