package dev.tempora.internal.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A workflow task that could not succeed: the inbound messages it keeps for its retry (in arrival
 * order), why it failed, how many attempts failed, since when, and under which deployment the last
 * attempt ran. It is stored in the history slot of the batch it will become (ADR 8), so the messages
 * are durable in the table instead of waiting in a queue, and a coordinator whose warm runner does
 * not know of it loses its conditional append there and reads it.
 *
 * @param id the store's identity of this stored version (null before it is stored); an append or
 *     a new park may replace exactly this version and no other
 */
public record ParkedTask(String id, int seq, List<WorkflowTaskMessage> messages, String reason, int attempts,
    Instant since, String deployment) {

  public ParkedTask {
    messages = List.copyOf(messages);
  }

  public ParkedTask withId(String newId) {
    return new ParkedTask(newId, seq, messages, reason, attempts, since, deployment);
  }

  /** The parked messages followed by those of {@code later} not already among them. */
  public List<WorkflowTaskMessage> followedBy(List<WorkflowTaskMessage> later) {
    return merge(messages, later);
  }

  /** {@code first} then {@code then}, each message id once (the first occurrence wins). */
  public static List<WorkflowTaskMessage> merge(List<WorkflowTaskMessage> first, List<WorkflowTaskMessage> then) {
    Set<String> seen = new LinkedHashSet<>();
    List<WorkflowTaskMessage> out = new ArrayList<>(first.size() + then.size());
    for (List<WorkflowTaskMessage> list : List.of(first, then)) {
      for (WorkflowTaskMessage m : list) {
        if (!m.isWakeUp() && seen.add(m.messageId())) {
          out.add(m);
        }
      }
    }
    return out;
  }
}
