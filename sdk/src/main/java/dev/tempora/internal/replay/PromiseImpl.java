package dev.tempora.internal.replay;

import dev.tempora.workflow.CompletablePromise;
import dev.tempora.workflow.Functions;
import dev.tempora.workflow.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * A workflow promise. Only workflow threads and the runner touch it, one at a time, so it needs no
 * locking. Callbacks run in the completing thread, immediately.
 */
public final class PromiseImpl<V> implements CompletablePromise<V> {
  private boolean completed;
  private V value;
  private RuntimeException failure;
  private List<Runnable> callbacks;

  @Override
  public V get() {
    if (!completed) {
      WorkflowInternal.yieldUntil(this::isCompleted);
    }
    if (failure != null) {
      throw failure;
    }
    return value;
  }

  @Override
  public boolean isCompleted() {
    return completed;
  }

  @Override
  public RuntimeException getFailure() {
    if (!completed) {
      WorkflowInternal.yieldUntil(this::isCompleted);
    }
    return failure;
  }

  @Override
  public boolean complete(V v) {
    if (completed) {
      return false;
    }
    completed = true;
    value = v;
    fire();
    return true;
  }

  @Override
  public boolean completeExceptionally(RuntimeException e) {
    if (completed) {
      return false;
    }
    completed = true;
    failure = e;
    fire();
    return true;
  }

  private void fire() {
    if (callbacks != null) {
      List<Runnable> cs = callbacks;
      callbacks = null;
      cs.forEach(Runnable::run);
    }
  }

  void whenDone(Runnable r) {
    if (completed) {
      r.run();
    } else {
      if (callbacks == null) {
        callbacks = new ArrayList<>(2);
      }
      callbacks.add(r);
    }
  }

  @Override
  public <U> Promise<U> thenApply(Functions.Func1<? super V, ? extends U> fn) {
    return handle((v, e) -> {
      if (e != null) {
        throw e;
      }
      return fn.apply(v);
    });
  }

  @Override
  public <U> Promise<U> handle(Functions.Func2<? super V, RuntimeException, ? extends U> fn) {
    PromiseImpl<U> out = new PromiseImpl<>();
    whenDone(() -> {
      try {
        out.complete(fn.apply(value, failure));
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
      }
    });
    return out;
  }

  @Override
  public Promise<V> exceptionally(Functions.Func1<Throwable, ? extends V> fn) {
    return handle((v, e) -> e == null ? v : fn.apply(e));
  }

  @Override
  public <U> Promise<U> thenCompose(Functions.Func1<? super V, ? extends Promise<U>> fn) {
    PromiseImpl<U> out = new PromiseImpl<>();
    whenDone(() -> {
      if (failure != null) {
        out.completeExceptionally(failure);
        return;
      }
      try {
        PromiseImpl<U> inner = (PromiseImpl<U>) fn.apply(value);
        inner.whenDone(() -> {
          if (inner.failure != null) {
            out.completeExceptionally(inner.failure);
          } else {
            out.complete(inner.value);
          }
        });
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
      }
    });
    return out;
  }

  RuntimeException failureNow() {
    return failure;
  }

  V valueNow() {
    return value;
  }
}
