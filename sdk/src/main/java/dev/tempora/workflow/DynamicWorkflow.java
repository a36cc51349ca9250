package dev.tempora.workflow;

import dev.tempora.common.converter.EncodedValues;

/**
 * A workflow implementation for every workflow type that has no implementation of its own, as
 * Temporal's: register a class implementing it with {@code registerWorkflowImplementationTypes}
 * (one per worker; registering another replaces it). {@link Workflow#getInfo()} tells which type
 * the run is; signals, queries and updates reach it through {@link Workflow#registerListener}.
 * The determinism rules of all workflow code apply.
 */
public interface DynamicWorkflow {
  /** The run's code: {@code args} are the start's arguments, undecoded; the return value is the result. */
  Object execute(EncodedValues args);
}
