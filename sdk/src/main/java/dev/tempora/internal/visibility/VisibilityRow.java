package dev.tempora.internal.visibility;

import dev.tempora.history.SearchAttributeValue;
import dev.tempora.internal.history.RunRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * A run as list queries see it: its record (no start event) and its current search attributes.
 * {@code sortKey} orders rows as the DynamoDB visibility index does: start time (fixed width),
 * then workflow id; runs sharing both are told apart by run id.
 */
public record VisibilityRow(RunRecord record, Map<String, SearchAttributeValue> searchAttributes) {
  private static final DateTimeFormatter SORTABLE_INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  public VisibilityRow {
    searchAttributes = searchAttributes == null ? Map.of() : Map.copyOf(searchAttributes);
  }

  public String sortKey() {
    return sortKey(record.startTime(), record.run().workflowId());
  }

  /** The visibility index's sort key: {@code <start time, 9 fraction digits>#<workflowId>}. */
  public static String sortKey(Instant startTime, String workflowId) {
    return sortableTime(startTime) + "#" + workflowId;
  }

  /** Fixed width, so string order is time order. */
  public static String sortableTime(Instant t) {
    return SORTABLE_INSTANT.format(t);
  }
}
