package dev.tempora.internal.replay;

import dev.tempora.client.WorkflowExecution;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.PayloadTooLargeException;
import dev.tempora.workflow.ChildWorkflowOptions;
import dev.tempora.workflow.ChildWorkflowStub;
import dev.tempora.workflow.Promise;
import java.lang.reflect.Type;

/** The untyped child stub, and what the typed one delegates to: one stub starts one child. */
public final class ChildWorkflowStubImpl implements ChildWorkflowStub {
  /** The running workflow's converter (its worker's), taken in the workflow thread that made the stub. */
  private final DataConverter converter;

  private DataConverter converter() {
    return converter;
  }

  private final String workflowType;
  private final ChildWorkflowOptions options;
  private final PromiseImpl<WorkflowExecution> execution = new PromiseImpl<>();
  private boolean called;

  public ChildWorkflowStubImpl(String workflowType, ChildWorkflowOptions options) {
    WorkflowInternal.currentThread();
    this.converter = WorkflowInternal.context().converter();
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
    Payload input;
    try {
      input = converter().toArgsPayload(args == null ? new Object[0] : args);
    } catch (PayloadTooLargeException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PayloadTooLarge");
    }
    PromiseImpl<Payload> result = WorkflowInternal.context().startChild(workflowType, options, input, execution);
    return result.thenApply(p -> (R) converter().fromPayload(p, resultType));
  }

  @Override
  public void signal(String signalName, Object... args) {
    WorkflowExecution e = execution.get();
    WorkflowInternal.context().signalExternal(e.workflowId(), e.runId(), signalName,
        converter().toArgsPayload(args == null ? new Object[0] : args));
  }
}
