package dev.tempora.internal.completion;

import dev.tempora.internal.history.RunKey;

/** What a task token names: one attempt of one activity of one run. */
public record TaskToken(String namespace, String workflowId, String runId, long seq, int attempt) {
  public RunKey run() {
    return new RunKey(namespace, workflowId, runId);
  }
}
