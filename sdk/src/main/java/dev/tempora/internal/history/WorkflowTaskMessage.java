package dev.tempora.internal.history;

import dev.tempora.history.Event;

/**
 * An inbound event for a workflow run, as it travels on the workflow-task queue. {@code messageId}
 * is deterministic for its cause (a run's start, an activity's outcome, a timer, a signal request),
 * so a retried send is recognised as the same message.
 */
public record WorkflowTaskMessage(String messageId, RunKey run, Event event) {}
