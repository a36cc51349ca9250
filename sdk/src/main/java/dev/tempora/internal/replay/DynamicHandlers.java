package dev.tempora.internal.replay;

import dev.tempora.history.Event;
import dev.tempora.workflow.DynamicQueryHandler;
import dev.tempora.workflow.DynamicSignalHandler;
import dev.tempora.workflow.DynamicUpdateHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's dynamic handlers ({@code Workflow.registerListener}), and the signals that came before
 * a signal handler did: kept, in order, to be delivered on registration, as Temporal does. The
 * signal limit bounds how many can wait.
 */
final class DynamicHandlers {
  DynamicSignalHandler signal;
  DynamicQueryHandler query;
  DynamicUpdateHandler update;
  private final List<Event.WorkflowSignaled> waiting = new ArrayList<>();

  void keep(Event.WorkflowSignaled s) {
    waiting.add(s);
  }

  /** The kept signals, emptied. */
  List<Event.WorkflowSignaled> takeWaiting() {
    List<Event.WorkflowSignaled> out = List.copyOf(waiting);
    waiting.clear();
    return out;
  }
}
