package dev.tempora.client.schedules;

/**
 * A schedule's state: paused (with a note saying why), and a limit on how many more actions it
 * takes ({@code limitedAction}: only {@code remainingActions} more, counting down).
 */
public final class ScheduleState {
  private final boolean paused;
  private final String note;
  private final boolean limitedAction;
  private final long remainingActions;

  private ScheduleState(Builder b) {
    paused = b.paused;
    note = b.note;
    limitedAction = b.limitedAction;
    remainingActions = b.remainingActions;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().setPaused(paused).setNote(note).setLimitedAction(limitedAction).setRemainingActions(remainingActions);
  }

  public boolean isPaused() { return paused; }
  public String getNote() { return note; }
  public boolean isLimitedAction() { return limitedAction; }
  public long getRemainingActions() { return remainingActions; }

  public static final class Builder {
    private boolean paused;
    private String note;
    private boolean limitedAction;
    private long remainingActions;

    public Builder setPaused(boolean v) { paused = v; return this; }
    public Builder setNote(String v) { note = v; return this; }
    public Builder setLimitedAction(boolean v) { limitedAction = v; return this; }
    public Builder setRemainingActions(long v) { remainingActions = v; return this; }

    public ScheduleState build() {
      return new ScheduleState(this);
    }
  }
}
