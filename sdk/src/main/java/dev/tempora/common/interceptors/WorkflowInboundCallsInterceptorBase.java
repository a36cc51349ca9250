package dev.tempora.common.interceptors;

/** Passes every call on to the next interceptor; extend it and override what you need. */
public class WorkflowInboundCallsInterceptorBase implements WorkflowInboundCallsInterceptor {
  protected final WorkflowInboundCallsInterceptor next;

  public WorkflowInboundCallsInterceptorBase(WorkflowInboundCallsInterceptor next) {
    this.next = next;
  }

  @Override
  public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
    next.init(outboundCalls);
  }

  @Override
  public WorkflowOutput execute(WorkflowInput input) {
    return next.execute(input);
  }

  @Override
  public void handleSignal(SignalInput input) {
    next.handleSignal(input);
  }

  @Override
  public QueryOutput handleQuery(QueryInput input) {
    return next.handleQuery(input);
  }

  @Override
  public void validateUpdate(UpdateInput input) {
    next.validateUpdate(input);
  }

  @Override
  public UpdateOutput executeUpdate(UpdateInput input) {
    return next.executeUpdate(input);
  }
}
