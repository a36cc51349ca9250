package dev.tempora.internal.history;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Run ids the engine derives instead of drawing: a name-based UUID of the run they follow and how
 * they follow it, so every coordinator (and every replay, and every re-sent dispatch) names the
 * same run. A child's id comes from its parent's run and the command that started it; a retry's,
 * a cron run's and a continue-as-new run's from the run that closed.
 */
public final class RunIds {
  private RunIds() {}

  public static String child(String parentRunId, long seq) {
    return derived(parentRunId, "child/" + seq);
  }

  /** The run that follows {@code runId} by {@code relation} ("retry", "cron", "continue-as-new"). */
  public static String derived(String runId, String relation) {
    return UUID.nameUUIDFromBytes((runId + "/" + relation).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
