package dev.tempora.internal.replay;

import dev.tempora.common.converter.EncodedValues;
import dev.tempora.common.interceptors.WorkflowInboundCallsInterceptor;
import dev.tempora.common.interceptors.WorkflowOutboundCallsInterceptor;
import java.lang.reflect.Method;

/**
 * The innermost inbound interceptor: calls the workflow instance's methods (typed or dynamic), or
 * the dynamic handler when a name has no method. What an interceptor's {@code next} ends in.
 */
final class RootWorkflowInbound implements WorkflowInboundCallsInterceptor {
  private final WorkflowContext context;
  private final DynamicHandlers handlers;

  RootWorkflowInbound(WorkflowContext context, DynamicHandlers handlers) {
    this.context = context;
    this.handlers = handlers;
  }

  @Override
  public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
    context.outbound(outboundCalls);
  }

  @Override
  public WorkflowOutput execute(WorkflowInput input) {
    return new WorkflowOutput(context.invoke(context.metadata().workflowMethod(), input.arguments()));
  }

  @Override
  public void handleSignal(SignalInput input) {
    Method m = context.metadata().signals().get(input.signalName());
    if (m != null) {
      context.invoke(m, input.arguments());
    } else {
      handlers.signal.handle(input.signalName(), (EncodedValues) input.arguments()[0]);
    }
  }

  @Override
  public QueryOutput handleQuery(QueryInput input) {
    Method m = context.metadata().queries().get(input.queryName());
    return new QueryOutput(m != null ? context.invoke(m, input.arguments())
        : handlers.query.handle(input.queryName(), (EncodedValues) input.arguments()[0]));
  }

  @Override
  public void validateUpdate(UpdateInput input) {
    if (context.metadata().updates().containsKey(input.updateName())) {
      Method validator = context.metadata().updateValidators().get(input.updateName());
      if (validator != null) {
        context.invoke(validator, input.arguments());
      }
    } else {
      handlers.update.handleValidate(input.updateName(), (EncodedValues) input.arguments()[0]);
    }
  }

  @Override
  public UpdateOutput executeUpdate(UpdateInput input) {
    Method m = context.metadata().updates().get(input.updateName());
    if (m != null) {
      return new UpdateOutput(context.invoke(m, input.arguments()));
    }
    EncodedValues result = handlers.update.handleExecute(input.updateName(), (EncodedValues) input.arguments()[0]);
    return new UpdateOutput(result == null || result.isEmpty() ? null : result.get(0, Object.class));
  }
}
