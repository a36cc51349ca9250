package dev.tempora.internal.worker;

import dev.tempora.activity.ActivityExecutionContext;

/** The running activity's context, per activity thread. */
public final class ActivityContextHolder {
  private static final ThreadLocal<ActivityExecutionContext> CURRENT = new ThreadLocal<>();

  private ActivityContextHolder() {}

  public static ActivityExecutionContext current() {
    ActivityExecutionContext c = CURRENT.get();
    if (c == null) {
      throw new IllegalStateException("Activity.getExecutionContext() is only available in an activity method's thread");
    }
    return c;
  }

  static void set(ActivityExecutionContext c) {
    CURRENT.set(c);
  }

  static void clear() {
    CURRENT.remove();
  }
}
