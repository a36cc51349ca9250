package dev.tempora.internal.replay;

import dev.tempora.workflow.CancellationScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node in the tree of cancellation scopes. Operations started in a scope register a cancel
 * handler (keyed by their seq) and remove it when they finish.
 */
final class CancellationScopeImpl implements CancellationScope {
  private final CancellationScopeImpl parent;
  private final Runnable body;
  private final List<CancellationScopeImpl> children = new ArrayList<>();
  private final Map<Long, Runnable> handlers = new LinkedHashMap<>();
  private boolean cancelRequested;
  private String reason;

  CancellationScopeImpl(CancellationScopeImpl parent, boolean detached, Runnable body) {
    this.parent = parent;
    this.body = body;
    if (parent != null && !detached) {
      parent.children.add(this);
      cancelRequested = parent.cancelRequested;
      reason = parent.reason;
    }
  }

  @Override
  public void run() {
    WorkflowThread t = WorkflowInternal.currentThread();
    CancellationScopeImpl previous = t.scope;
    t.scope = this;
    try {
      body.run();
    } finally {
      t.scope = previous;
      if (parent != null) {
        parent.children.remove(this);
      }
    }
  }

  @Override
  public void cancel() {
    cancel(null);
  }

  @Override
  public void cancel(String reason) {
    if (cancelRequested) {
      return;
    }
    cancelRequested = true;
    this.reason = reason;
    for (Runnable h : List.copyOf(handlers.values())) {
      h.run();
    }
    handlers.clear();
    for (CancellationScopeImpl c : List.copyOf(children)) {
      c.cancel(reason);
    }
  }

  @Override
  public String getCancellationReason() {
    return reason;
  }

  /** The message of the {@code CanceledFailure} of something this scope cancelled: the reason, if given. */
  String canceledMessage(String otherwise) {
    return reason != null ? reason : otherwise;
  }

  @Override
  public boolean isCancelRequested() {
    return cancelRequested;
  }

  void onCancel(long seq, Runnable handler) {
    handlers.put(seq, handler);
  }

  void done(long seq) {
    handlers.remove(seq);
  }
}
