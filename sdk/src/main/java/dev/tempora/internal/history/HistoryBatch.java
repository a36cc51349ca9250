package dev.tempora.internal.history;

import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import java.util.List;

/**
 * The unit of history storage: all events one workflow task appended, with the ids of the inbound
 * messages it consumed. {@code seq} starts at 1; appending batch N+1 only succeeds if N is the
 * latest, which is the optimistic lock between racing coordinators. The command events in a
 * batch double as its outbox: a redelivered message already consumed by a committed batch makes
 * the coordinator re-send that batch's dispatches instead of deciding again.
 */
public record HistoryBatch(int seq, List<HistoryEvent> events, List<String> messageIds) {
  public HistoryBatch {
    events = List.copyOf(events);
    messageIds = List.copyOf(messageIds);
  }

  public long lastEventId() {
    return events.isEmpty() ? 0 : events.getLast().eventId();
  }

  /** The event closing the run, if this batch closes it. */
  public Event closingEvent() {
    for (HistoryEvent e : events) {
      if (isClosing(e.event())) {
        return e.event();
      }
    }
    return null;
  }

  public static boolean isClosing(Event e) {
    return switch (e) {
      case Event.WorkflowExecutionCompleted c -> true;
      case Event.WorkflowExecutionFailed f -> true;
      case Event.WorkflowExecutionCanceled c -> true;
      case Event.WorkflowExecutionTerminated t -> true;
      case Event.WorkflowExecutionTimedOut t -> true;
      case Event.WorkflowExecutionContinuedAsNew c -> true;
      default -> false;
    };
  }
}
