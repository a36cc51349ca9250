package dev.tempora.workflow;

import dev.tempora.common.converter.EncodedValues;

/**
 * Answers every query that has no {@code @QueryMethod} of its own; registered with {@link
 * Workflow#registerListener}. As any query method, it must only read workflow state.
 */
public interface DynamicQueryHandler {
  Object handle(String queryType, EncodedValues args);
}
