package dev.tempora.workflow;

import java.lang.reflect.Type;

/**
 * An untyped activity stub, as Temporal's: calls an activity by its type name (one a dynamic
 * activity may serve), from {@link Workflow#newUntypedActivityStub}.
 */
public interface ActivityStub {
  /** Runs the activity and waits for its result. */
  <R> R execute(String activityName, Class<R> resultClass, Object... args);

  /** As {@link #execute(String, Class, Object...)} for a generic result type. */
  <R> R execute(String activityName, Class<R> resultClass, Type resultType, Object... args);

  /** Schedules the activity; the promise completes with its result. */
  <R> Promise<R> executeAsync(String activityName, Class<R> resultClass, Object... args);
}
