package dev.tempora.internal.replay;

import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * One thread of workflow code (the workflow method, an {@code Async} call, a signal handler): a
 * virtual thread that only runs while the {@link DeterministicRunner} has handed it the turn.
 */
final class WorkflowThread {
  final String name;
  /** Made by an {@code Async} call (not the workflow method or a signal handler). */
  final boolean async;
  final WorkflowContext context;
  final Semaphore turn = new Semaphore(0);
  CancellationScopeImpl scope;
  /** What the thread waits for while parked; null while it runs or before it starts. */
  BooleanSupplier waitingFor;
  boolean started;
  /** Told to unwind (its task failed or its runner was discarded) at least once. */
  boolean unwinding;
  volatile boolean done;
  /** Running a local activity (or waiting out its short backoff): its turn may last, it is not a deadlock. */
  volatile boolean inLocalActivity;
  Thread thread;

  WorkflowThread(String name, WorkflowContext context, CancellationScopeImpl scope, boolean async) {
    this.name = name;
    this.async = async;
    this.context = context;
    this.scope = scope;
  }
}
