package dev.tempora.internal.replay;

import dev.tempora.history.Event;
import dev.tempora.history.FailureInfo;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import java.util.List;

/**
 * How much of the history size limit an event uses: the lengths of the payloads and texts it
 * carries (inputs, results, marker data, failures, reasons), not its encoded size. The runner sees
 * every batch it replays or commits, so it keeps the total by adding these up, at the cost of a
 * few field reads per event instead of encoding the history a second time (the store encodes each
 * batch once, to write it). What this leaves out is each event's envelope (ids, timestamps,
 * types, roughly 100 bytes); at the 51,200-event limit that is at most about 5 MB, so the event
 * count limit is always the one that catches small events, and the 50 MB limit catches big data.
 */
final class HistorySize {
  private HistorySize() {}

  static long bytes(List<HistoryEvent> events) {
    long n = 0;
    for (HistoryEvent e : events) {
      n += bytes(e.event());
    }
    return n;
  }

  static long bytes(Event e) {
    return switch (e) {
      case Event.WorkflowExecutionStarted s -> bytes(s.input());
      case Event.WorkflowTaskCompleted w -> 0;
      case Event.WorkflowExecutionCompleted c -> bytes(c.result());
      case Event.WorkflowExecutionFailed f -> bytes(f.failure());
      case Event.WorkflowExecutionCanceled c -> 0;
      case Event.WorkflowExecutionTerminated t -> length(t.reason());
      case Event.WorkflowExecutionTimedOut t -> 0;
      case Event.WorkflowExecutionContinuedAsNew c -> bytes(c.input());
      case Event.WorkflowSignaled s -> length(s.signalName()) + bytes(s.input());
      case Event.WorkflowCancelRequested r -> length(r.reason());
      case Event.ActivityTaskScheduled s -> bytes(s.input());
      case Event.ActivityTaskCompleted c -> bytes(c.result());
      case Event.ActivityTaskFailed f -> bytes(f.failure());
      case Event.ActivityTaskTimedOut t -> bytes(t.lastFailure());
      case Event.ActivityTaskCancelRequested c -> 0;
      case Event.ActivityTaskCanceled c -> 0;
      case Event.TimerStarted t -> 0;
      case Event.TimerFired f -> 0;
      case Event.TimerCanceled c -> 0;
      case Event.MarkerRecorded m -> bytes(m.data());
      case Event.WorkflowExecutionUpdateAccepted u -> length(u.updateId()) + length(u.updateName()) + bytes(u.input());
      case Event.WorkflowExecutionUpdateCompleted u -> length(u.updateId()) + bytes(u.result()) + bytes(u.failure());
      case Event.StartChildWorkflowExecutionInitiated c -> bytes(c.input());
      case Event.ChildWorkflowExecutionStarted c -> 0;
      case Event.StartChildWorkflowExecutionFailed f -> length(f.cause());
      case Event.ChildWorkflowExecutionCompleted c -> bytes(c.result());
      case Event.ChildWorkflowExecutionFailed f -> bytes(f.failure());
      case Event.ChildWorkflowExecutionCanceled c -> 0;
      case Event.ChildWorkflowExecutionTimedOut t -> 0;
      case Event.ChildWorkflowExecutionTerminated t -> length(t.reason());
      case Event.SignalExternalWorkflowExecutionInitiated x -> length(x.signalName()) + bytes(x.input());
      case Event.RequestCancelExternalWorkflowExecutionInitiated x -> 0;
      case Event.UpsertWorkflowSearchAttributes u -> u.searchAttributes().entrySet().stream()
          .mapToLong(a -> length(a.getKey()) + length(String.valueOf(a.getValue().value()))).sum();
      case Event.WorkflowPropertiesModified m -> m.upsertedMemo().entrySet().stream()
          .mapToLong(a -> length(a.getKey()) + bytes(a.getValue())).sum();
    };
  }

  private static long bytes(Payload p) {
    return p == null ? 0 : p.sizeBytes();
  }

  private static long bytes(FailureInfo f) {
    long n = 0;
    // Iterative over the cause chain: a chain may be long, and this runs on every event.
    for (FailureInfo c = f; c != null; c = c.cause()) {
      n += length(c.message()) + length(c.stackTrace()) + length(c.detailsJson());
    }
    return n;
  }

  private static long length(String s) {
    return s == null ? 0 : s.length();
  }
}
