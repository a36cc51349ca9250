package dev.tempora.activity;

import dev.tempora.common.converter.EncodedValues;

/**
 * An activity implementation for every activity type that has no implementation of its own, as
 * Temporal's: register an object implementing it with {@code registerActivitiesImplementations}
 * (one per worker; registering another replaces it). {@code
 * Activity.getExecutionContext().getInfo().activityType()} tells which type is running.
 */
public interface DynamicActivity {
  /** The attempt's code: {@code args} are the workflow's arguments, undecoded; the return value is the result. */
  Object execute(EncodedValues args);
}
