package dev.tempora.client.schedules;

import java.util.List;

/** Options of a schedule's creation: act once right away, and backfill ranges. */
public final class ScheduleOptions {
  private final boolean triggerImmediately;
  private final List<ScheduleBackfill> backfills;

  private ScheduleOptions(Builder b) {
    triggerImmediately = b.triggerImmediately;
    backfills = b.backfills;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static ScheduleOptions getDefaultInstance() {
    return newBuilder().build();
  }

  public boolean isTriggerImmediately() { return triggerImmediately; }
  public List<ScheduleBackfill> getBackfills() { return backfills; }

  public static final class Builder {
    private boolean triggerImmediately;
    private List<ScheduleBackfill> backfills = List.of();

    public Builder setTriggerImmediately(boolean v) { triggerImmediately = v; return this; }
    public Builder setBackfills(List<ScheduleBackfill> v) { backfills = List.copyOf(v); return this; }

    public ScheduleOptions build() {
      return new ScheduleOptions(this);
    }
  }
}
