package dev.tempora.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.internal.converter.DataConverter;
import java.util.Map;

/**
 * {@code GET /dead-letters} (each queue's DLQ: count and up to 10 messages) and {@code POST
 * /dead-letters/{queue}/redrive} (move them back). Served where a {@link DeadLetters} is given:
 * the devserver and {@code tempora ui}, not the Lambda HTTP API.
 */
final class DeadLetterRoutes {
  private static final ObjectMapper JSON = DataConverter.get().mapper();
  private final DeadLetters deadLetters;

  DeadLetterRoutes(DeadLetters deadLetters) {
    this.deadLetters = deadLetters;
  }

  Router register(Router router) {
    return router
        .add("GET", "/dead-letters", this::list)
        .add("POST", "/dead-letters/{queue}/redrive", this::redrive);
  }

  private ApiResponse list(Router.Call call) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode queues = out.putArray("queues");
    for (String queue : deadLetters.queues()) {
      ObjectNode q = queues.addObject();
      q.put("queue", queue);
      q.put("count", deadLetters.count(queue));
      ArrayNode messages = q.putArray("messages");
      for (DeadLetters.DeadLetter m : deadLetters.peek(queue)) {
        ObjectNode row = messages.addObject();
        row.put("messageId", m.messageId());
        row.put("receiveCount", m.receiveCount());
        if (m.sentAt() == null) {
          row.putNull("sentAt");
        } else {
          row.put("sentAt", m.sentAt().toString());
        }
        try {
          row.set("body", JSON.readTree(m.body()));
        } catch (JsonProcessingException e) {
          row.put("body", m.body()); // not JSON (a poison message): shown as the text it is
        }
      }
    }
    return new ApiResponse(200, Map.of(), out.toString());
  }

  private ApiResponse redrive(Router.Call call) {
    String queue = call.path("queue");
    JsonBody.parse(call.request().body(), false, "a redrive request");
    if (!deadLetters.queues().contains(queue)) {
      throw ApiError.QUEUE_NOT_FOUND.exception("no queue '" + queue + "' (queues: "
          + String.join(", ", deadLetters.queues()) + ")");
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("queue", queue);
    out.put("redriven", deadLetters.redrive(queue));
    return new ApiResponse(200, Map.of(), out.toString());
  }
}
