package dev.tempora.testing;

import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.converter.HistoryJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A recorded history of one run, named by its workflow id, for {@link WorkflowReplayer}. Its JSON
 * form is what {@code tempora --json history <id>} prints (and {@code HistoryJson} writes): an array
 * of events, each with {@code eventId}, {@code timestamp} and a typed {@code event}. Make one from a
 * client with {@code new WorkflowExecutionHistory(id, client.fetchHistory(id))}.
 */
public record WorkflowExecutionHistory(String workflowId, List<HistoryEvent> events) {
  public WorkflowExecutionHistory {
    if (workflowId == null || events == null) {
      throw new IllegalArgumentException("a history needs a workflow id and its events");
    }
    events = List.copyOf(events);
  }

  /**
   * @throws IllegalArgumentException when the text is not an exported history (a JSON array of
   *     events that starts with WorkflowExecutionStarted)
   */
  public static WorkflowExecutionHistory fromJson(String json, String workflowId) {
    HistoryEvent[] events;
    try {
      events = HistoryJson.read(json, HistoryEvent[].class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("InvalidHistory: " + workflowId + " is not an exported history: "
          + e.getMessage(), e);
    }
    if (events == null || events.length == 0 || events[0] == null
        || !(events[0].event() instanceof Event.WorkflowExecutionStarted)) {
      throw new IllegalArgumentException("InvalidHistory: " + workflowId
          + " does not start with WorkflowExecutionStarted");
    }
    return new WorkflowExecutionHistory(workflowId, List.of(events));
  }

  /** A history file; its workflow id is the file's name without {@code .json}. */
  public static WorkflowExecutionHistory fromFile(Path file) {
    String name = file.getFileName().toString();
    String id = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    try {
      return fromJson(Files.readString(file), id);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read history file " + file, e);
    }
  }

  /** The JSON form, as {@code tempora --json history} prints it. */
  public String toJson() {
    return HistoryJson.write(events);
  }

  /** The workflow type of the run, from its start event. */
  public String workflowType() {
    return ((Event.WorkflowExecutionStarted) events.getFirst().event()).workflowType();
  }
}
