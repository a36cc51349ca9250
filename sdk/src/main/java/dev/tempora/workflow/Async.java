package dev.tempora.workflow;

import dev.tempora.internal.replay.WorkflowInternal;

/**
 * Runs a function in a new workflow thread and returns its result as a {@link Promise}. Typical use:
 * {@code Promise<String> p = Async.function(activities::charge, order);}. New threads start in
 * creation order at the next switch point, so the interleaving is the same on every replay.
 */
public final class Async {
  private Async() {}

  public static <R> Promise<R> function(Functions.Func<R> fn) {
    return WorkflowInternal.async(fn);
  }

  public static <A1, R> Promise<R> function(Functions.Func1<A1, R> fn, A1 a1) {
    return function(() -> fn.apply(a1));
  }

  public static <A1, A2, R> Promise<R> function(Functions.Func2<A1, A2, R> fn, A1 a1, A2 a2) {
    return function(() -> fn.apply(a1, a2));
  }

  public static <A1, A2, A3, R> Promise<R> function(Functions.Func3<A1, A2, A3, R> fn, A1 a1, A2 a2, A3 a3) {
    return function(() -> fn.apply(a1, a2, a3));
  }

  public static <A1, A2, A3, A4, R> Promise<R> function(Functions.Func4<A1, A2, A3, A4, R> fn, A1 a1, A2 a2, A3 a3,
      A4 a4) {
    return function(() -> fn.apply(a1, a2, a3, a4));
  }

  public static <A1, A2, A3, A4, A5, R> Promise<R> function(Functions.Func5<A1, A2, A3, A4, A5, R> fn, A1 a1, A2 a2,
      A3 a3, A4 a4, A5 a5) {
    return function(() -> fn.apply(a1, a2, a3, a4, a5));
  }

  public static <A1, A2, A3, A4, A5, A6, R> Promise<R> function(Functions.Func6<A1, A2, A3, A4, A5, A6, R> fn, A1 a1,
      A2 a2, A3 a3, A4 a4, A5 a5, A6 a6) {
    return function(() -> fn.apply(a1, a2, a3, a4, a5, a6));
  }

  public static Promise<Void> procedure(Functions.Proc proc) {
    return function(() -> {
      proc.apply();
      return null;
    });
  }

  public static <A1> Promise<Void> procedure(Functions.Proc1<A1> proc, A1 a1) {
    return procedure(() -> proc.apply(a1));
  }

  public static <A1, A2> Promise<Void> procedure(Functions.Proc2<A1, A2> proc, A1 a1, A2 a2) {
    return procedure(() -> proc.apply(a1, a2));
  }

  public static <A1, A2, A3> Promise<Void> procedure(Functions.Proc3<A1, A2, A3> proc, A1 a1, A2 a2, A3 a3) {
    return procedure(() -> proc.apply(a1, a2, a3));
  }

  public static <A1, A2, A3, A4> Promise<Void> procedure(Functions.Proc4<A1, A2, A3, A4> proc, A1 a1, A2 a2, A3 a3,
      A4 a4) {
    return procedure(() -> proc.apply(a1, a2, a3, a4));
  }

  public static <A1, A2, A3, A4, A5> Promise<Void> procedure(Functions.Proc5<A1, A2, A3, A4, A5> proc, A1 a1, A2 a2,
      A3 a3, A4 a4, A5 a5) {
    return procedure(() -> proc.apply(a1, a2, a3, a4, a5));
  }

  public static <A1, A2, A3, A4, A5, A6> Promise<Void> procedure(Functions.Proc6<A1, A2, A3, A4, A5, A6> proc, A1 a1,
      A2 a2, A3 a3, A4 a4, A5 a5, A6 a6) {
    return procedure(() -> proc.apply(a1, a2, a3, a4, a5, a6));
  }
}
