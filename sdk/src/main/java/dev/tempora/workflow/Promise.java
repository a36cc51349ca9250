package dev.tempora.workflow;

import dev.tempora.internal.replay.Promises;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The result of an asynchronous workflow operation (an activity, a timer, an {@link Async} call).
 * Blocking on it with {@link #get()} is a deterministic switch point: the workflow thread parks
 * until the value arrives from history.
 */
public interface Promise<V> {

  /** Waits for the value; throws the failure (for example {@code ActivityFailure}) if it failed. */
  V get();

  boolean isCompleted();

  /** The failure, or null when the promise completed normally. Blocks until completed. */
  RuntimeException getFailure();

  /** A promise of {@code fn(value)}; failures pass through unchanged. */
  <U> Promise<U> thenApply(Functions.Func1<? super V, ? extends U> fn);

  /** A promise of {@code fn(value, failure)}, called whichever way this promise completes. */
  <U> Promise<U> handle(Functions.Func2<? super V, RuntimeException, ? extends U> fn);

  /** A promise that replaces a failure with {@code fn(failure)}. */
  Promise<V> exceptionally(Functions.Func1<Throwable, ? extends V> fn);

  /** A promise of the promise that {@code fn(value)} returns. */
  <U> Promise<U> thenCompose(Functions.Func1<? super V, ? extends Promise<U>> fn);

  /** Completes when all complete; fails with the first failure (in list order) once all are done. */
  static Promise<Void> allOf(Collection<? extends Promise<?>> promises) {
    return Promises.allOf(List.copyOf(promises));
  }

  static Promise<Void> allOf(Promise<?>... promises) {
    return allOf(Arrays.asList(promises));
  }

  /**
   * Completes with the value or failure of the first of {@code promises} to complete (Temporal's
   * signature: promises of one type give a promise of that type).
   */
  static <V> Promise<V> anyOf(Iterable<Promise<V>> promises) {
    List<Promise<V>> list = new ArrayList<>();
    promises.forEach(list::add);
    return Promises.anyOf(list);
  }

  /** Completes with the value or failure of the first of {@code promises} to complete. */
  static Promise<Object> anyOf(Promise<?>... promises) {
    List<Promise<Object>> list = new ArrayList<>(promises.length);
    for (Promise<?> p : promises) {
      @SuppressWarnings("unchecked")
      Promise<Object> any = (Promise<Object>) p;
      list.add(any);
    }
    return Promises.anyOf(list);
  }
}
