package dev.tempora.internal.replay;

import dev.tempora.workflow.Promise;
import java.util.List;

/** {@code Promise.allOf}/{@code anyOf}. */
public final class Promises {
  private Promises() {}

  public static Promise<Void> allOf(List<? extends Promise<?>> promises) {
    PromiseImpl<Void> all = new PromiseImpl<>();
    if (promises.isEmpty()) {
      all.complete(null);
      return all;
    }
    int[] remaining = {promises.size()};
    for (Promise<?> p : promises) {
      ((PromiseImpl<?>) p).whenDone(() -> {
        if (--remaining[0] == 0) {
          // Fail with the first failure in list order, so the outcome does not depend on timing.
          for (Promise<?> q : promises) {
            RuntimeException f = ((PromiseImpl<?>) q).failureNow();
            if (f != null) {
              all.completeExceptionally(f);
              return;
            }
          }
          all.complete(null);
        }
      });
    }
    return all;
  }

  public static <V> Promise<V> anyOf(List<Promise<V>> promises) {
    if (promises.isEmpty()) {
      throw new IllegalArgumentException("Promise.anyOf needs at least one promise");
    }
    PromiseImpl<V> any = new PromiseImpl<>();
    for (Promise<V> p : promises) {
      PromiseImpl<V> pi = (PromiseImpl<V>) p;
      pi.whenDone(() -> {
        if (pi.failureNow() != null) {
          any.completeExceptionally(pi.failureNow());
        } else {
          any.complete(pi.valueNow());
        }
      });
    }
    return any;
  }
}
