package dev.tempora.activity;

import dev.tempora.internal.worker.ActivityContextHolder;

/** Static access to the running activity, usable only inside an activity method's thread. */
public final class Activity {
  private Activity() {}

  public static ActivityExecutionContext getExecutionContext() {
    return ActivityContextHolder.current();
  }
}
