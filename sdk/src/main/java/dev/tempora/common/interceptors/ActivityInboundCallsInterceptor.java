package dev.tempora.common.interceptors;

import dev.tempora.activity.ActivityExecutionContext;

/**
 * The call into an activity attempt, as Temporal's interface. Both methods run in the attempt's
 * own thread, so a thread-bound context (an MDC, a tracing span) set in {@link #execute} around
 * the next call is seen by the activity code. Arguments of a dynamic activity are one {@code
 * EncodedValues}.
 */
public interface ActivityInboundCallsInterceptor {
  record ActivityInput(Object[] arguments) {}

  record ActivityOutput(Object result) {}

  void init(ActivityExecutionContext context);

  ActivityOutput execute(ActivityInput input);
}
