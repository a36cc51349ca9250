package dev.tempora.internal.history;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The run id of a child workflow: fixed by its parent's run and the command that started it, so
 * the parent's code knows it on replay and a start dispatched twice is the same run.
 */
public final class ChildRunIds {
  private ChildRunIds() {}

  public static String of(String parentRunId, long seq) {
    return UUID.nameUUIDFromBytes((parentRunId + "/child/" + seq).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
