package dev.tempora.internal.replay;

import dev.tempora.client.WorkflowExecution;
import dev.tempora.common.interceptors.WorkflowOutboundCallsInterceptor;
import dev.tempora.workflow.ChildWorkflowOptions;
import dev.tempora.workflow.ChildWorkflowStub;
import dev.tempora.workflow.Promise;
import java.lang.reflect.Type;

/** The untyped child stub, and what the typed one delegates to: one stub starts one child. */
public final class ChildWorkflowStubImpl implements ChildWorkflowStub {
  private final String workflowType;
  private final ChildWorkflowOptions options;
  private final PromiseImpl<WorkflowExecution> execution = new PromiseImpl<>();
  private boolean called;

  public ChildWorkflowStubImpl(String workflowType, ChildWorkflowOptions options) {
    WorkflowInternal.currentThread();
    this.workflowType = workflowType;
    this.options = options == null ? ChildWorkflowOptions.getDefaultInstance() : options;
  }

  @Override
  public String getWorkflowType() {
    return workflowType;
  }

  @Override
  public ChildWorkflowOptions getOptions() {
    return options;
  }

  @Override
  public Promise<WorkflowExecution> getExecution() {
    return execution;
  }

  @Override
  public <R> R execute(Class<R> resultClass, Object... args) {
    return executeAsync(resultClass, args).get();
  }

  @Override
  public <R> Promise<R> executeAsync(Class<R> resultClass, Object... args) {
    return start(resultClass, args);
  }

  @SuppressWarnings("unchecked")
  <R> Promise<R> start(Type resultType, Object[] args) {
    if (called) {
      throw new IllegalStateException("this child workflow stub already started its child (" + workflowType
          + "); make a new stub for another child");
    }
    called = true;
    Class<R> resultClass = (Class<R>) (resultType instanceof Class<?> c ? c : Object.class);
    WorkflowOutboundCallsInterceptor.ChildWorkflowOutput<R> out = WorkflowInternal.context().outbound()
        .executeChildWorkflow(new WorkflowOutboundCallsInterceptor.ChildWorkflowInput<>(options.getWorkflowId(),
            workflowType, resultClass, resultType, args == null ? new Object[0] : args, options));
    out.workflowExecution().handle((e, failure) -> {
      if (failure != null) {
        execution.completeExceptionally(failure);
      } else {
        execution.complete(e);
      }
      return null;
    });
    return out.result();
  }

  @Override
  public void signal(String signalName, Object... args) {
    WorkflowInternal.context().outbound().signalExternalWorkflow(
        new WorkflowOutboundCallsInterceptor.SignalExternalInput(execution.get(), signalName, args));
  }
}
