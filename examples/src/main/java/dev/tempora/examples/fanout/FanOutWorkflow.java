package dev.tempora.examples.fanout;

import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;

/** Runs one activity per item, all at once, and adds up their results: 1² + 2² + ... + count². */
@WorkflowInterface
public interface FanOutWorkflow {
  @WorkflowMethod
  long sumOfSquares(int count);
}
