package dev.tempora.examples.etl;

import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;

/**
 * Extract, transform, load. A transform that fails transiently is retried by the activity worker
 * (1 s, then 2 s, up to 5 attempts) without the workflow noticing: its history records only the
 * final outcome and the attempt that produced it. A non-retryable failure ends the activity, and
 * the workflow, at once.
 */
@WorkflowInterface
public interface EtlWorkflow {
  @WorkflowMethod
  EtlReport run(EtlJob job);
}
