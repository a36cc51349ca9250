package dev.tempora.internal.coordinator;

import dev.tempora.client.WorkflowExecutionStatus;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.ParkedTask;
import dev.tempora.internal.history.RunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * History is the truth about a run; the run record is a summary written after the history, which
 * a crash or a failed update can leave behind (a run closed in history but RUNNING on its record).
 * These are the reads that look past the record, and the repair that brings it up to date.
 */
public final class HistoryTruth {
  private static final Logger log = LoggerFactory.getLogger(HistoryTruth.class);

  private HistoryTruth() {}

  /** The status a closing event gives its run. */
  public static WorkflowExecutionStatus statusOf(Event closing) {
    return switch (closing) {
      case Event.WorkflowExecutionCompleted c -> WorkflowExecutionStatus.COMPLETED;
      case Event.WorkflowExecutionFailed f -> WorkflowExecutionStatus.FAILED;
      case Event.WorkflowExecutionCanceled c -> WorkflowExecutionStatus.CANCELED;
      case Event.WorkflowExecutionTerminated t -> WorkflowExecutionStatus.TERMINATED;
      case Event.WorkflowExecutionTimedOut t -> WorkflowExecutionStatus.TIMED_OUT;
      case Event.WorkflowExecutionContinuedAsNew c -> WorkflowExecutionStatus.CONTINUED_AS_NEW;
      default -> throw new IllegalArgumentException("not a closing event: " + closing);
    };
  }

  /** The record closed as {@code batch} closes it, if it does and the record does not say so yet. */
  public static Optional<RunRecord> closedBy(RunRecord record, HistoryBatch batch) {
    if (record.status().isClosed() || batch == null) {
      return Optional.empty();
    }
    for (HistoryEvent e : batch.events()) {
      if (HistoryBatch.isClosing(e.event())) {
        return Optional.of(record.closed(statusOf(e.event()), e.timestamp()));
      }
    }
    return Optional.empty();
  }

  /**
   * The run as its history says: an open record is checked against the newest batch (one small
   * read) and repaired if that batch closed the run. A failed repair is logged; the answer is
   * still the history's, and the stream relay repairs the record later.
   */
  public static RunRecord current(HistoryStore store, RunRecord record) {
    if (record.status().isClosed()) {
      return record;
    }
    Optional<RunRecord> closed = closedBy(record, store.readLastBatch(record.run()).orElse(null));
    closed.ifPresent(r -> repair(store, r));
    return closed.orElse(record);
  }

  /** Writes the closed record; best effort. */
  public static void repair(HistoryStore store, RunRecord closed) {
    try {
      store.updateRun(closed);
      log.info("run record of {} repaired from history: {}", closed.run(), closed.status());
    } catch (RuntimeException e) {
      log.warn("run record of {} is behind its history ({}); repair failed: {}", closed.run(), closed.status(),
          e.toString());
    }
  }

  /**
   * Closes the run from outside its workflow code (a terminate, a timeout, a cancel before the
   * first task): appends a batch of {@code closing} after {@code last}, its newest batch, replacing
   * a task parked in that slot (its messages are moot once the run is closed). Empty if history
   * already closed the run (the record is repaired instead: nothing is ever appended after a
   * closing event).
   *
   * @throws ConcurrentUpdateException if another batch took the slot meanwhile: read and try again
   */
  public static Optional<HistoryBatch> appendClosing(HistoryStore store, RunRecord record,
      Optional<HistoryBatch> last, Event closing, Instant now, List<String> messageIds) {
    Optional<RunRecord> closed = closedBy(record, last.orElse(null));
    if (closed.isPresent()) {
      repair(store, closed.get());
      return Optional.empty();
    }
    int seq = last.map(b -> b.seq() + 1).orElse(1);
    long eventId = last.map(HistoryBatch::lastEventId).orElse(0L);
    HistoryBatch batch = new HistoryBatch(seq, List.of(new HistoryEvent(eventId + 1, now, closing)), messageIds);
    try {
      store.appendBatch(record.run(), batch);
    } catch (ConcurrentUpdateException e) {
      // The slot may hold a parked task (the common case is not to have one: no read for it first).
      Optional<ParkedTask> parked = store.readParked(record.run(), seq);
      if (parked.isEmpty()) {
        throw e;
      }
      store.appendBatch(record.run(), batch, parked.get().id());
    }
    return Optional.of(batch);
  }
}
