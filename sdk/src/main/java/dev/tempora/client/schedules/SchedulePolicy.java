package dev.tempora.client.schedules;

import java.time.Duration;

/**
 * How a schedule handles overlaps, missed times and failures. {@code catchupWindow}: a scheduled
 * time missed while the engine could not act (an outage, a long pause of the process) is still
 * taken if it is at most this old (default one year, as in Temporal; at least 10 seconds).
 * {@code pauseOnFailure}: a failed or timed-out action pauses the schedule, with a note saying which.
 */
public final class SchedulePolicy {
  public static final Duration DEFAULT_CATCHUP_WINDOW = Duration.ofDays(365);
  private final ScheduleOverlapPolicy overlap;
  private final Duration catchupWindow;
  private final boolean pauseOnFailure;

  private SchedulePolicy(Builder b) {
    overlap = b.overlap;
    catchupWindow = b.catchupWindow;
    pauseOnFailure = b.pauseOnFailure;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static SchedulePolicy getDefaultInstance() {
    return newBuilder().build();
  }

  public ScheduleOverlapPolicy getOverlap() { return overlap; }
  public Duration getCatchupWindow() { return catchupWindow; }
  public boolean isPauseOnFailure() { return pauseOnFailure; }

  public static final class Builder {
    private ScheduleOverlapPolicy overlap = ScheduleOverlapPolicy.SKIP;
    private Duration catchupWindow = DEFAULT_CATCHUP_WINDOW;
    private boolean pauseOnFailure;

    public Builder setOverlap(ScheduleOverlapPolicy v) { overlap = v == null ? ScheduleOverlapPolicy.SKIP : v; return this; }
    public Builder setCatchupWindow(Duration v) { catchupWindow = v == null ? DEFAULT_CATCHUP_WINDOW : v; return this; }
    public Builder setPauseOnFailure(boolean v) { pauseOnFailure = v; return this; }

    public SchedulePolicy build() {
      return new SchedulePolicy(this);
    }
  }
}
