package dev.tempora.internal.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs a workflow's threads one at a time. Threads are virtual threads; the caller hands the turn
 * to each runnable thread in creation order and takes it back when that thread parks on a
 * workflow promise or condition, or ends. {@link #runUntilBlocked()} returns when no thread can
 * move. Because the order depends only on creation order and on the conditions (which depend
 * only on history), the same history gives the same interleaving every time.
 */
final class DeterministicRunner {
  private final List<WorkflowThread> threads = new ArrayList<>();
  private final Semaphore yielded = new Semaphore(0);
  private final long deadlockMillis;
  private volatile boolean destroyed;
  private boolean stopped;
  private Throwable unhandled;
  /** Async threads made and not ended (started or not): what {@link WorkflowLimits#workflowThreads()} bounds. */
  private int aliveAsync;

  DeterministicRunner(long deadlockMillis) {
    this.deadlockMillis = deadlockMillis;
  }

  /** Adds a thread; it first runs at the next turn handed out in this or the next pass. */
  WorkflowThread newThread(String name, WorkflowContext context, CancellationScopeImpl scope, boolean async,
      Runnable body) {
    WorkflowThread t = new WorkflowThread(name, context, scope, async);
    t.thread = Thread.ofVirtual().name("workflow " + name).unstarted(() -> {
      WorkflowInternal.CURRENT.set(t);
      try {
        t.turn.acquireUninterruptibly();
        if (!destroyed) {
          body.run();
        }
      } catch (DestroyWorkflowThreadError e) {
        // discarded runner: unwind quietly
      } catch (Throwable e) {
        if (!destroyed) {
          unhandled = e;
        }
      } finally {
        if (t.async) {
          // Written by the thread holding the turn (or unwinding after destroy, when no one reads it).
          aliveAsync--;
        }
        t.done = true;
        yielded.release();
      }
    });
    threads.add(t);
    if (async) {
      aliveAsync++;
    }
    return t;
  }

  /** Stops handing out turns (the workflow closed). */
  void stop() {
    stopped = true;
  }

  /**
   * Hands out turns until every thread is parked on a condition that does not hold, or ended.
   * Throws what a thread threw without handling it (an Error or a bug in the engine).
   */
  void runUntilBlocked() {
    boolean progress = true;
    while (progress && !stopped) {
      progress = false;
      for (int i = 0; i < threads.size() && !stopped; i++) {
        WorkflowThread t = threads.get(i);
        if (t.done) {
          continue;
        }
        if (!t.started || t.waitingFor.getAsBoolean()) {
          giveTurn(t);
          progress = true;
        }
        if (unhandled != null) {
          Throwable e = unhandled;
          unhandled = null;
          if (e instanceof RuntimeException r) {
            throw r;
          }
          if (e instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e);
        }
      }
      threads.removeIf(t -> t.done);
    }
  }

  private void giveTurn(WorkflowThread t) {
    t.turn.release();
    if (!t.started) {
      t.started = true;
      t.thread.start();
    }
    try {
      while (!yielded.tryAcquire(deadlockMillis, TimeUnit.MILLISECONDS)) {
        if (!t.inLocalActivity) {
          throw new PotentialDeadlockException(t.name, deadlockMillis);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while workflow thread " + t.name + " ran", e);
    }
  }

  /** Whether every thread but {@code self} has had its first turn (or ended). */
  boolean othersStarted(WorkflowThread self) {
    for (WorkflowThread t : threads) {
      if (t != self && !t.started && !t.done) {
        return false;
      }
    }
    return true;
  }

  /** Called in a workflow thread: parks it until {@code condition} holds (checked by the runner). */
  void yieldUntil(WorkflowThread t, BooleanSupplier condition) {
    if (condition.getAsBoolean()) {
      return;
    }
    t.waitingFor = condition;
    yielded.release();
    t.turn.acquireUninterruptibly();
    t.waitingFor = null;
    if (destroyed) {
      throw new DestroyWorkflowThreadError();
    }
  }

  /**
   * Called in a workflow thread that was told to unwind and kept calling in: hands back the turn
   * and waits, without running, until {@link #destroy()} wakes it (or forever, if that is past).
   */
  void park(WorkflowThread t) {
    t.waitingFor = () -> false;
    yielded.release();
    t.turn.acquireUninterruptibly();
  }

  /** Unwinds every parked thread. The runner cannot be used afterwards. */
  void destroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    int started = 0;
    for (WorkflowThread t : threads) {
      if (t.started && !t.done) {
        started++;
        t.turn.release();
      }
    }
    // Wait briefly so unwound threads do not linger; a thread stuck in user code is left behind.
    try {
      yielded.tryAcquire(started, 1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    threads.clear();
  }

  int threadCount() {
    return threads.size();
  }

  /** Threads made by {@code Async} calls and not ended yet. */
  int aliveAsyncThreads() {
    return aliveAsync;
  }

  /** After {@link #destroy()}: workflow code still running must unwind at its next Tempora call. */
  boolean isDestroyed() {
    return destroyed;
  }
}
