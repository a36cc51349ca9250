package dev.tempora.lambda.coordinator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.tempora.internal.aws.EnvironmentRuntime;
import dev.tempora.internal.aws.StreamRelay;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream relay Lambda on the table's DynamoDB stream (ADR 8): re-sends a new run's start
 * message, closes a run record its history closed, and deletes an expired run's items. The
 * deployment's event filter passes only run inserts, closing-batch inserts and TTL deletes;
 * anything else that reaches it is ignored. Records are applied in order; the first that fails is
 * reported, so Lambda retries from it (stream order is per workflow, and every action is idempotent).
 */
public final class TableStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
  private static final Logger log = LoggerFactory.getLogger(TableStreamHandler.class);

  private final StreamRelay relay;

  public TableStreamHandler() {
    this(EnvironmentRuntime.get().streamRelay);
  }

  public TableStreamHandler(StreamRelay relay) {
    this.relay = relay;
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    for (DynamodbEvent.DynamodbStreamRecord r : event.getRecords()) {
      try {
        relay.apply(change(r));
      } catch (RuntimeException e) {
        String seq = r.getDynamodb() == null ? null : r.getDynamodb().getSequenceNumber();
        log.warn("stream record {} ({}) failed, will be retried: {}", seq, r.getEventName(), e.toString());
        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(seq)));
      }
    }
    return new StreamsEventResponse(List.of());
  }

  static StreamRelay.Change change(DynamodbEvent.DynamodbStreamRecord r) {
    if (r.getDynamodb() == null || r.getDynamodb().getKeys() == null) {
      return new StreamRelay.Change.Ignored();
    }
    Map<String, AttributeValue> keys = r.getDynamodb().getKeys();
    Map<String, AttributeValue> image = r.getDynamodb().getNewImage();
    AttributeValue pk = keys.get("pk");
    AttributeValue sk = keys.get("sk");
    if (pk == null || sk == null || pk.getS() == null || sk.getS() == null) {
      return new StreamRelay.Change.Ignored();
    }
    AttributeValue closes = image == null ? null : image.get("closes");
    return StreamRelay.classify(r.getEventName(), pk.getS(), sk.getS(),
        closes != null && Boolean.TRUE.equals(closes.getBOOL()));
  }
}
