package dev.tempora.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** An update that was sent to a workflow: wait for its result, as many times as needed. */
public interface WorkflowUpdateHandle<R> {

  WorkflowExecution getExecution();

  String getId();

  /** The stage the update had reached when this handle was made or last waited on. */
  WorkflowUpdateStage getStage();

  /**
   * Waits for the handler's result. Throws {@link WorkflowUpdateException} if the update was
   * rejected or its handler failed, and {@link WorkflowException} with a timeout cause if it has
   * not completed within the client's wait bound (call again to wait more).
   */
  R getResult();

  /** As {@link #getResult()}, waiting at most {@code timeout}. */
  R getResult(Duration timeout);

  CompletableFuture<R> getResultAsync();
}
