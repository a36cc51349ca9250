package dev.tempora.internal.replay;

import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * One thread of workflow code (the workflow method, an {@code Async} call, a signal handler): a
 * virtual thread that only runs while the {@link DeterministicRunner} has handed it the turn.
 */
final class WorkflowThread {
  final String name;
  final WorkflowContext context;
  final Semaphore turn = new Semaphore(0);
  CancellationScopeImpl scope;
  /** What the thread waits for while parked; null while it runs or before it starts. */
  BooleanSupplier waitingFor;
  boolean started;
  volatile boolean done;
  Thread thread;

  WorkflowThread(String name, WorkflowContext context, CancellationScopeImpl scope) {
    this.name = name;
    this.context = context;
    this.scope = scope;
  }
}
