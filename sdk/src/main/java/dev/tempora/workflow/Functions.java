package dev.tempora.workflow;

/** Functional interfaces used by {@link Async}, {@link Saga} and the client's typed start methods. */
public final class Functions {
  private Functions() {}

  @FunctionalInterface public interface Func<R> { R apply(); }
  @FunctionalInterface public interface Func1<A1, R> { R apply(A1 a1); }
  @FunctionalInterface public interface Func2<A1, A2, R> { R apply(A1 a1, A2 a2); }
  @FunctionalInterface public interface Func3<A1, A2, A3, R> { R apply(A1 a1, A2 a2, A3 a3); }
  @FunctionalInterface public interface Proc { void apply(); }
  @FunctionalInterface public interface Proc1<A1> { void apply(A1 a1); }
  @FunctionalInterface public interface Proc2<A1, A2> { void apply(A1 a1, A2 a2); }
  @FunctionalInterface public interface Proc3<A1, A2, A3> { void apply(A1 a1, A2 a2, A3 a3); }
}
