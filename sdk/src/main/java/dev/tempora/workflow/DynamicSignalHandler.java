package dev.tempora.workflow;

import dev.tempora.common.converter.EncodedValues;

/**
 * Handles every signal that has no {@code @SignalMethod} of its own; registered with {@link
 * Workflow#registerListener}. Signals that arrived before it was registered are delivered to it
 * on registration, in the order they were recorded.
 */
public interface DynamicSignalHandler {
  void handle(String signalName, EncodedValues args);
}
