package dev.tempora.internal.history;

import java.time.Duration;
import java.util.Set;

/**
 * How long the timers a run's commands started were set for, as its history recorded them: what
 * the outbox needs to cancel only timers that may exist, and to tell the timer service their
 * length (so that on AWS a timer that went on SQS costs no Scheduler call).
 */
public interface TimerLengths {
  /** Knows nothing (a batch re-read from the store): every timer is cancelled as if it might be long. */
  TimerLengths UNKNOWN = new TimerLengths() {
    @Override
    public boolean covers(HistoryBatch batch) {
      return false;
    }

    @Override
    public Duration timerLength(long seq) {
      return null;
    }

    @Override
    public Set<Long> openActivities() {
      return null;
    }
  };

  /**
   * Whether this has followed the run's history up to {@code batch} (and not past it), and so
   * knows every timer the batch's events can close. If not, {@link #timerLength} means nothing.
   */
  boolean covers(HistoryBatch batch);

  /**
   * The length of the timer command {@code seq} started: an activity's schedule-to-close timer
   * (its timeout), or a workflow timer (fire time minus its TimerStarted's timestamp). Null if
   * that command started no timer, e.g. an activity without a schedule-to-close timeout.
   */
  Duration timerLength(long seq);

  /**
   * The activities scheduled and not closed after the covered batch, cancel-requested ones
   * excepted (they already know): those a close must tell to stop. Null if unknown.
   */
  Set<Long> openActivities();

  /**
   * Whether the run may have started child workflows (then the outbox reads its history when it
   * closes, to apply their parent close policy). True unless this covers the batch and knows none.
   */
  default boolean mayHaveChildren() {
    return true;
  }
}
