package dev.tempora.internal.client;

import dev.tempora.client.WorkflowException;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowUpdateException;
import dev.tempora.client.WorkflowUpdateHandle;
import dev.tempora.client.WorkflowUpdateStage;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.converter.FailureConverter;
import dev.tempora.internal.history.RunKey;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/** A handle on an update that was sent: its outcome is read from history (or the rejection item). */
final class UpdateHandleImpl<R> implements WorkflowUpdateHandle<R> {
  /** How long one wait for an update lasts before the caller gets control back (as a server long-poll). */
  static final Duration WAIT_BOUND = Duration.ofSeconds(60);

  private final WorkflowService service;
  private final RunKey run;
  private final Type resultType;
  private volatile WorkflowService.UpdateOutcome outcome;

  private final DataConverter converter;

  UpdateHandleImpl(WorkflowService service, RunKey run, Type resultType, WorkflowService.UpdateOutcome outcome) {
    this(service, run, resultType, outcome, DataConverter.get());
  }

  UpdateHandleImpl(WorkflowService service, RunKey run, Type resultType, WorkflowService.UpdateOutcome outcome,
      DataConverter converter) {
    this.converter = converter;
    this.service = service;
    this.run = run;
    this.resultType = resultType;
    this.outcome = outcome;
  }

  @Override
  public WorkflowExecution getExecution() {
    return outcome.execution();
  }

  @Override
  public String getId() {
    return outcome.updateId();
  }

  @Override
  public WorkflowUpdateStage getStage() {
    return outcome.stage();
  }

  /** Throws the rejection, if the update was rejected. */
  void throwIfRejected() {
    WorkflowService.UpdateOutcome o = outcome;
    if (o.rejected()) {
      throw new WorkflowUpdateException(o.execution(), o.updateId(), o.updateName(), "update '" + o.updateName()
          + "' (" + o.updateId() + ") was rejected: " + o.failure().message(), FailureConverter.toException(o.failure()));
    }
  }

  @Override
  public R getResult() {
    while (true) {
      try {
        return getResult(WAIT_BOUND);
      } catch (WorkflowException e) {
        if (!(e.getCause() instanceof TimeoutException) || e instanceof WorkflowUpdateException) {
          throw e;
        }
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public R getResult(Duration timeout) {
    WorkflowService.UpdateOutcome o = outcome;
    if (o.stage() != WorkflowUpdateStage.COMPLETED && !o.rejected()) {
      o = service.awaitUpdate(run, o.updateId(), o.updateName(), WorkflowUpdateStage.COMPLETED, timeout);
      outcome = o;
    }
    throwIfRejected();
    if (o.stage() != WorkflowUpdateStage.COMPLETED) {
      throw new WorkflowException(run.workflowId(), "update '" + o.updateName() + "' (" + o.updateId()
          + ") has not completed after " + timeout + "; wait again with its handle", new TimeoutException());
    }
    if (o.failure() != null) {
      throw new WorkflowUpdateException(o.execution(), o.updateId(), o.updateName(), "update '" + o.updateName()
          + "' (" + o.updateId() + ") failed: " + o.failure().message(), FailureConverter.toException(o.failure()));
    }
    return (R) converter.fromPayload(o.result(), resultType);
  }

  @Override
  public CompletableFuture<R> getResultAsync() {
    return CompletableFuture.supplyAsync(this::getResult, Executors.newVirtualThreadPerTaskExecutor());
  }
}
