package dev.tempora.common.interceptors;

import dev.tempora.activity.ActivityExecutionContext;

/** Passes every call on to the next interceptor; extend it and override what you need. */
public class ActivityInboundCallsInterceptorBase implements ActivityInboundCallsInterceptor {
  protected final ActivityInboundCallsInterceptor next;

  public ActivityInboundCallsInterceptorBase(ActivityInboundCallsInterceptor next) {
    this.next = next;
  }

  @Override
  public void init(ActivityExecutionContext context) {
    next.init(context);
  }

  @Override
  public ActivityOutput execute(ActivityInput input) {
    return next.execute(input);
  }
}
