package dev.tempora.workflow;

/** A promise the workflow completes itself; made by {@link Workflow#newPromise()}. */
public interface CompletablePromise<V> extends Promise<V> {
  /** Returns false if it was already completed. */
  boolean complete(V value);

  boolean completeExceptionally(RuntimeException failure);
}
