package dev.tempora.internal.history;

import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link TimerLengths} followed batch by batch over a run's history (by its {@code
 * WorkflowRunner}, which sees every batch it replays or commits).
 *
 * <p>Only timers that exist get an entry: activities with a schedule-to-close timeout and started
 * workflow timers. An entry is dropped when the batch after the one that closes it is applied, so
 * it is still there while the closing batch is dispatched, and the map stays as small as the
 * run's open activities and timers (a cached runner must stay small).
 */
public final class OpenTimers implements TimerLengths {
  // seq is one per-run counter shared by all commands, so activities and timers never collide.
  private final Map<Long, Duration> lengths = new HashMap<>(4);
  private final List<Long> closedByLastBatch = new ArrayList<>(2);
  // Every open activity, with or without a timeout: what a close must tell to stop.
  private final Set<Long> activities = new HashSet<>(4);
  private int batchSeq;
  private boolean children;

  /** Applies the next batch of the run's history. */
  public void advance(HistoryBatch batch) {
    for (Long seq : closedByLastBatch) {
      lengths.remove(seq);
    }
    closedByLastBatch.clear();
    for (HistoryEvent he : batch.events()) {
      switch (he.event()) {
        case Event.ActivityTaskScheduled s -> {
          activities.add(s.seq());
          Duration timeout = s.parameters().scheduleToCloseTimeout();
          if (timeout != null) {
            // The outbox sets this timer to fire at the event's timestamp plus the timeout.
            lengths.put(s.seq(), timeout);
          }
        }
        case Event.TimerStarted t -> lengths.put(t.seq(), Duration.between(he.timestamp(), t.fireTime()));
        case Event.ActivityTaskCompleted c -> closed(c.seq());
        case Event.ActivityTaskFailed f -> closed(f.seq());
        case Event.ActivityTaskTimedOut t -> closed(t.seq());
        case Event.ActivityTaskCanceled c -> closed(c.seq());
        // The workflow stops waiting for an activity it requested to cancel (TRY_CANCEL): its
        // later outcome is stale and never recorded, so the request is its last event.
        case Event.ActivityTaskCancelRequested c -> closed(c.seq());
        case Event.TimerFired f -> closed(f.seq());
        case Event.TimerCanceled c -> closed(c.seq());
        case Event.StartChildWorkflowExecutionInitiated c -> children = true;
        default -> { }
      }
    }
    batchSeq = batch.seq();
  }

  @Override
  public boolean covers(HistoryBatch batch) {
    return batch.seq() == batchSeq;
  }

  @Override
  public boolean mayHaveChildren() {
    return children;
  }

  @Override
  public Duration timerLength(long seq) {
    return lengths.get(seq);
  }

  /** Entries held: open activities with a schedule-to-close timeout and open timers, plus those closed by the last batch. */
  public int size() {
    return lengths.size();
  }

  @Override
  public Set<Long> openActivities() {
    return Collections.unmodifiableSet(activities);
  }

  private void closed(long seq) {
    activities.remove(seq);
    if (lengths.containsKey(seq)) {
      closedByLastBatch.add(seq);
    }
  }
}
