package dev.tempora.workflow;

/** Functional interfaces used by {@link Async}, {@link Saga} and the client's typed start methods. */
public final class Functions {
  private Functions() {}

  @FunctionalInterface public interface Func<R> { R apply(); }
  @FunctionalInterface public interface Func1<A1, R> { R apply(A1 a1); }
  @FunctionalInterface public interface Func2<A1, A2, R> { R apply(A1 a1, A2 a2); }
  @FunctionalInterface public interface Func3<A1, A2, A3, R> { R apply(A1 a1, A2 a2, A3 a3); }
  @FunctionalInterface public interface Func4<A1, A2, A3, A4, R> { R apply(A1 a1, A2 a2, A3 a3, A4 a4); }
  @FunctionalInterface public interface Func5<A1, A2, A3, A4, A5, R> { R apply(A1 a1, A2 a2, A3 a3, A4 a4, A5 a5); }
  @FunctionalInterface public interface Func6<A1, A2, A3, A4, A5, A6, R> { R apply(A1 a1, A2 a2, A3 a3, A4 a4, A5 a5, A6 a6); }
  @FunctionalInterface public interface Proc { void apply(); }
  @FunctionalInterface public interface Proc1<A1> { void apply(A1 a1); }
  @FunctionalInterface public interface Proc2<A1, A2> { void apply(A1 a1, A2 a2); }
  @FunctionalInterface public interface Proc3<A1, A2, A3> { void apply(A1 a1, A2 a2, A3 a3); }
  @FunctionalInterface public interface Proc4<A1, A2, A3, A4> { void apply(A1 a1, A2 a2, A3 a3, A4 a4); }
  @FunctionalInterface public interface Proc5<A1, A2, A3, A4, A5> { void apply(A1 a1, A2 a2, A3 a3, A4 a4, A5 a5); }
  @FunctionalInterface public interface Proc6<A1, A2, A3, A4, A5, A6> { void apply(A1 a1, A2 a2, A3 a3, A4 a4, A5 a5, A6 a6); }
}
