package dev.tempora.failure;

/**
 * An activity ended without a result. The cause says why: {@link ApplicationFailure} (it threw),
 * {@link TimeoutFailure} (a timeout), or {@link CanceledFailure} (it was cancelled).
 */
public final class ActivityFailure extends TemporaFailure {
  private final String activityType;
  private final String activityId;
  private final int attempt;

  public ActivityFailure(String activityType, String activityId, int attempt, Throwable cause) {
    super("activity " + activityType + " (id " + activityId + ", attempt " + attempt + ") failed"
        + (cause == null ? "" : ": " + cause.getMessage()), cause);
    this.activityType = activityType;
    this.activityId = activityId;
    this.attempt = attempt;
  }

  public String getActivityType() { return activityType; }
  public String getActivityId() { return activityId; }
  /** The attempt that ended the activity (1-based). */
  public int getAttempt() { return attempt; }
}
