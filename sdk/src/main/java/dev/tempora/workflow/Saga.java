package dev.tempora.workflow;

import dev.tempora.failure.TemporaFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Compensations registered as steps succeed, run in reverse order (or in parallel) by
 * {@link #compensate()} when a later step fails.
 */
public final class Saga {

  /** How compensations run. */
  public record Options(boolean parallelCompensation, boolean continueWithError) {
    public static Options defaults() {
      return new Options(false, false);
    }
  }

  /** A compensation failed; the first failure is the cause, later ones are suppressed. */
  public static final class CompensationException extends TemporaFailure {
    public CompensationException(RuntimeException cause) {
      super("saga compensation failed: " + cause.getMessage(), cause);
    }
  }

  private final Options options;
  private final List<Functions.Func<?>> compensations = new ArrayList<>();

  public Saga(Options options) {
    this.options = options;
  }

  public Saga() {
    this(Options.defaults());
  }

  public void addCompensation(Functions.Proc compensation) {
    compensations.add(() -> {
      compensation.apply();
      return null;
    });
  }

  public <A1> void addCompensation(Functions.Proc1<A1> compensation, A1 a1) {
    addCompensation(() -> compensation.apply(a1));
  }

  public <A1, A2> void addCompensation(Functions.Proc2<A1, A2> compensation, A1 a1, A2 a2) {
    addCompensation(() -> compensation.apply(a1, a2));
  }

  public <R> void addCompensation(Functions.Func<R> compensation) {
    compensations.add(compensation);
  }

  public <A1, R> void addCompensation(Functions.Func1<A1, R> compensation, A1 a1) {
    compensations.add(() -> compensation.apply(a1));
  }

  /**
   * Runs the compensations: sequentially in reverse registration order, or all at once when
   * {@code parallelCompensation}. A failing compensation stops the rest unless
   * {@code continueWithError}; either way the first failure is thrown as {@link CompensationException}.
   */
  public void compensate() {
    if (options.parallelCompensation()) {
      List<Promise<?>> running = new ArrayList<>();
      for (Functions.Func<?> c : compensations) {
        running.add(Async.function(c));
      }
      RuntimeException first = null;
      for (Promise<?> p : running) {
        RuntimeException f = p.getFailure();
        if (f != null) {
          if (first == null) {
            first = f;
          } else {
            first.addSuppressed(f);
          }
        }
      }
      if (first != null) {
        throw new CompensationException(first);
      }
      return;
    }
    RuntimeException first = null;
    for (int i = compensations.size() - 1; i >= 0; i--) {
      try {
        compensations.get(i).apply();
      } catch (RuntimeException e) {
        if (!options.continueWithError()) {
          throw new CompensationException(e);
        }
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw new CompensationException(first);
    }
  }
}
