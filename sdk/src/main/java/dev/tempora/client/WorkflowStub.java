package dev.tempora.client;

import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.client.TypedStubs;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An untyped handle on a workflow id: start it, talk to it, wait for it. */
public interface WorkflowStub {

  /** The stub behind a typed workflow stub made by {@link WorkflowClient#newWorkflowStub}. */
  static WorkflowStub fromTyped(Object typedStub) {
    return TypedStubs.untyped(typedStub);
  }

  /** Starts the run (or returns the open run with this id). */
  WorkflowExecution start(Object... args);

  /** Starts the run if none is open, then delivers the signal to it, atomically ordered. */
  WorkflowExecution signalWithStart(String signalName, Object[] signalArgs, Object[] startArgs);

  /**
   * {@link #signalWithStart(String, Object[], Object[])} with the signal's options: with a request
   * id, the signal is recorded once however often the call is repeated.
   */
  WorkflowExecution signalWithStart(SignalOptions signalOptions, String signalName, Object[] signalArgs,
      Object[] startArgs);

  /**
   * Sends a signal to the open run. Refused with {@link InvalidRequestException} before anything is
   * sent if the run's type declares no such signal or the arguments do not convert to its
   * parameters. The client makes a request id for the call; a send it retries is recorded once.
   */
  void signal(String signalName, Object... args);

  /**
   * {@link #signal(String, Object...)} with options: a request id of the caller's makes the signal
   * idempotent across calls (a retry after a timeout, another process sending the same command):
   * the run records a request id once.
   */
  void signal(SignalOptions signalOptions, String signalName, Object... args);

  <R> R query(String queryName, Class<R> resultClass, Object... args);

  /**
   * Runs an update on the current run and returns its handler's result (waiting for it to
   * complete). Throws {@link WorkflowUpdateException} if its validator rejects it (nothing is
   * recorded) or its handler fails; refused with {@link InvalidRequestException} if the run's type
   * declares no such update or the arguments do not convert.
   */
  <R> R update(String updateName, Class<R> resultClass, Object... args);

  /**
   * Sends an update and waits (bounded, about a minute) until it reaches {@code waitForStage}
   * ({@code ACCEPTED} or {@code COMPLETED}); the handle waits for the result, as often as needed.
   * A rejection is thrown here as {@link WorkflowUpdateException}.
   */
  <R> WorkflowUpdateHandle<R> startUpdate(String updateName, WorkflowUpdateStage waitForStage, Class<R> resultClass,
      Object... args);

  /**
   * {@link #startUpdate(String, WorkflowUpdateStage, Class, Object...)} with options: an update id
   * of the caller's makes the call idempotent (a repeated id is answered from the first update,
   * not run again).
   */
  <R> WorkflowUpdateHandle<R> startUpdate(UpdateOptions<R> options, Object... args);

  /** Asks the workflow to cancel: its root cancellation scope is cancelled. */
  void cancel();

  /** Ends the run at once, recording {@code reason}; workflow code does not run again. */
  void terminate(String reason);

  <R> R getResult(Class<R> resultClass);

  <R> R getResult(Type resultType);

  /**
   * Throws {@code WorkflowException} with a timeout cause if the run has not closed by then; a
   * negative or overflowing timeout is refused ({@link InvalidRequestException}, {@code InvalidDuration}).
   */
  <R> R getResult(Duration timeout, Class<R> resultClass);

  <R> CompletableFuture<R> getResultAsync(Class<R> resultClass);

  WorkflowDescription describe();

  List<HistoryEvent> fetchHistory();

  /** The run this stub is bound to (after start), or the id's current run. */
  WorkflowExecution getExecution();
}
