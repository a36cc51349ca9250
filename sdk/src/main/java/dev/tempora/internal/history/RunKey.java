package dev.tempora.internal.history;

/** Identifies one run. {@code workflowKey()} is the DESIGN.md partition key and the FIFO group. */
public record RunKey(String namespace, String workflowId, String runId) {
  public String workflowKey() {
    return namespace + "#" + workflowId;
  }

  @Override
  public String toString() {
    return workflowKey() + "/" + runId;
  }
}
