package dev.tempora.common.interceptors;

import dev.tempora.client.WorkflowUpdateHandle;

/** Passes every call on to the next interceptor; extend it and override what you need. */
public class WorkflowClientCallsInterceptorBase implements WorkflowClientCallsInterceptor {
  protected final WorkflowClientCallsInterceptor next;

  public WorkflowClientCallsInterceptorBase(WorkflowClientCallsInterceptor next) {
    this.next = next;
  }

  @Override
  public WorkflowStartOutput start(WorkflowStartInput input) {
    return next.start(input);
  }

  @Override
  public WorkflowSignalOutput signal(WorkflowSignalInput input) {
    return next.signal(input);
  }

  @Override
  public WorkflowSignalWithStartOutput signalWithStart(WorkflowSignalWithStartInput input) {
    return next.signalWithStart(input);
  }

  @Override
  public <R> QueryOutput<R> query(QueryInput<R> input) {
    return next.query(input);
  }

  @Override
  public <R> WorkflowUpdateHandle<R> startUpdate(StartUpdateInput<R> input) {
    return next.startUpdate(input);
  }

  @Override
  public <R> GetResultOutput<R> getResult(GetResultInput<R> input) {
    return next.getResult(input);
  }

  @Override
  public void cancel(CancelInput input) {
    next.cancel(input);
  }

  @Override
  public void terminate(TerminateInput input) {
    next.terminate(input);
  }
}
