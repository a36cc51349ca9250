package dev.tempora.internal.replay;

import dev.tempora.failure.TemporaFailure;
import dev.tempora.workflow.CompletablePromise;
import dev.tempora.workflow.Functions;
import dev.tempora.workflow.Promise;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the public {@code Workflow}/{@code Async}/{@code Promise} facades call. */
public final class WorkflowInternal {
  static final ThreadLocal<WorkflowThread> CURRENT = new ThreadLocal<>();
  private static final Set<String> LOG_METHODS = Set.of("trace", "debug", "info", "warn", "error");

  private WorkflowInternal() {}

  static WorkflowThread currentThread() {
    WorkflowThread t = CURRENT.get();
    if (t == null) {
      throw new IllegalStateException("this call is only allowed in workflow code running in a workflow thread "
          + "(not in activities, query methods, or client code)");
    }
    if (t.context.mustUnwind()) {
      // The task failed or the runner was discarded while this thread still ran (a loop that
      // went past a limit, or one the deadlock detector gave up on): unwind it. A thread that
      // caught that and calls in again is parked instead, so that it cannot spin on a carrier.
      if (t.unwinding) {
        t.context.runner().park(t);
      }
      t.unwinding = true;
      throw new DestroyWorkflowThreadError();
    }
    return t;
  }

  public static boolean inWorkflowThread() {
    return CURRENT.get() != null;
  }

  public static WorkflowContext context() {
    return currentThread().context;
  }

  /** Parks the current workflow thread until the condition holds. */
  public static void yieldUntil(BooleanSupplier condition) {
    WorkflowThread t = currentThread();
    t.context.runner().yieldUntil(t, condition);
  }

  public static <R> Promise<R> async(Functions.Func<R> fn) {
    WorkflowThread parent = currentThread();
    PromiseImpl<R> promise = new PromiseImpl<>();
    parent.context.newAsyncThread(parent.scope, () -> {
      try {
        promise.complete(fn.apply());
      } catch (RuntimeException e) {
        promise.completeExceptionally(e);
      }
    });
    return promise;
  }

  public static <V> CompletablePromise<V> newPromise() {
    currentThread();
    return new PromiseImpl<>();
  }

  /** A logger whose log calls do nothing while the calling workflow thread replays. */
  public static Logger replaySafeLogger(Class<?> type) {
    Logger delegate = LoggerFactory.getLogger(type);
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (proxy, method, args) -> {
          if (LOG_METHODS.contains(method.getName())) {
            WorkflowThread t = CURRENT.get();
            if (t != null && t.context.isReplaying()) {
              return null;
            }
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** True for failures that fail the workflow; anything else fails only the workflow task. */
  static boolean failsWorkflow(Throwable t) {
    return t instanceof TemporaFailure;
  }
}
