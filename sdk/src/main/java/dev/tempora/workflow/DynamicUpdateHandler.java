package dev.tempora.workflow;

import dev.tempora.common.converter.EncodedValues;

/**
 * Runs every update that has no {@code @UpdateMethod} of its own; registered with {@link
 * Workflow#registerListener}. {@link #handleValidate} throws to reject an update (nothing is
 * recorded, as with a validator method); the value at index 0 of what {@link #handleExecute}
 * returns is the update's result.
 */
public interface DynamicUpdateHandler {
  default void handleValidate(String updateName, EncodedValues args) {}

  EncodedValues handleExecute(String updateName, EncodedValues args);
}
