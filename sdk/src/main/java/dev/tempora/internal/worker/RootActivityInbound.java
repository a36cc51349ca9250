package dev.tempora.internal.worker;

import dev.tempora.activity.ActivityExecutionContext;
import dev.tempora.common.interceptors.ActivityInboundCallsInterceptor;
import dev.tempora.common.interceptors.WorkerInterceptor;
import java.lang.reflect.InvocationTargetException;

/** The innermost activity interceptor: calls the activity method (or the dynamic activity). */
final class RootActivityInbound implements ActivityInboundCallsInterceptor {
  private final ActivityRegistry.Entry entry;

  RootActivityInbound(ActivityRegistry.Entry entry) {
    this.entry = entry;
  }

  /**
   * The worker's interceptors over the root for {@code entry} (the last registered outermost, as in
   * Temporal), inited with the attempt's context: what an activity attempt, queued or local, runs.
   */
  static ActivityInboundCallsInterceptor chain(ActivityRegistry registry, ActivityRegistry.Entry entry,
      ActivityExecutionContext context) {
    ActivityInboundCallsInterceptor head = new RootActivityInbound(entry);
    for (WorkerInterceptor i : registry.interceptors()) {
      head = i.interceptActivity(head);
    }
    head.init(context);
    return head;
  }

  @Override
  public void init(ActivityExecutionContext context) {}

  @Override
  public ActivityOutput execute(ActivityInput input) {
    try {
      return new ActivityOutput(entry.method().invoke(entry.implementation(), input.arguments()));
    } catch (InvocationTargetException e) {
      // Interceptors see what the activity threw; a checked exception travels wrapped.
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new ActivityCodeException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A checked exception the activity code threw, carried through the interceptors to the executor. */
  static final class ActivityCodeException extends RuntimeException {
    ActivityCodeException(Throwable cause) {
      super(null, cause, false, false);
    }
  }
}
