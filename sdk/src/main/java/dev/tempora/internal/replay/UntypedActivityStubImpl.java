package dev.tempora.internal.replay;

import dev.tempora.activity.ActivityOptions;
import dev.tempora.common.interceptors.WorkflowOutboundCallsInterceptor;
import dev.tempora.workflow.ActivityStub;
import dev.tempora.workflow.Promise;
import java.lang.reflect.Type;

/** {@code Workflow.newUntypedActivityStub}: activities by type name, through the outbound interceptors. */
public final class UntypedActivityStubImpl implements ActivityStub {
  private final ActivityOptions options;

  public UntypedActivityStubImpl(ActivityOptions options) {
    WorkflowInternal.currentThread();
    this.options = options;
  }

  @Override
  public <R> R execute(String activityName, Class<R> resultClass, Object... args) {
    return executeAsync(activityName, resultClass, resultClass, args).get();
  }

  @Override
  public <R> R execute(String activityName, Class<R> resultClass, Type resultType, Object... args) {
    return executeAsync(activityName, resultClass, resultType, args).get();
  }

  @Override
  public <R> Promise<R> executeAsync(String activityName, Class<R> resultClass, Object... args) {
    return executeAsync(activityName, resultClass, resultClass, args);
  }

  private <R> Promise<R> executeAsync(String activityName, Class<R> resultClass, Type resultType, Object[] args) {
    if (activityName == null || activityName.isBlank()) {
      throw new IllegalArgumentException("an activity call needs an activity type name");
    }
    return WorkflowInternal.context().outbound().executeActivity(new WorkflowOutboundCallsInterceptor.ActivityInput<>(
        activityName, resultClass, resultType, args == null ? new Object[0] : args, options)).result();
  }
}
