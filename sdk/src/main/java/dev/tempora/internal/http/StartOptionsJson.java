package dev.tempora.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.activity.RetryOptions;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Payload;
import dev.tempora.common.IndexedValueType;
import dev.tempora.common.SearchAttributeKey;
import dev.tempora.common.SearchAttributes;
import dev.tempora.history.SearchAttributeValue;
import dev.tempora.internal.visibility.SearchAttributeCodec;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.internal.converter.DataConverter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A start's timeouts, retry options and memo in JSON, both ways: read from a start body (durations
 * are ISO-8601 strings such as {@code "PT30S"}), and written into a description, where durations
 * are the same strings (not Jackson's decimal seconds). Only the form is checked here; what the
 * values may be is the {@code RequestValidator}'s question, as for every client.
 */
public final class StartOptionsJson {
  /** The start body's fields this reads. */
  public static final List<String> FIELDS = List.of("workflowExecutionTimeout", "workflowRunTimeout", "retryOptions",
      "memo", "cronSchedule", "startDelay", "searchAttributes");
  private static final Set<String> RETRY_FIELDS = Set.of("initialInterval", "backoffCoefficient", "maximumInterval",
      "maximumAttempts", "doNotRetry");
  private static final ObjectMapper JSON = DataConverter.get().mapper();

  private StartOptionsJson() {}

  /** The options of a start body. */
  public static WorkflowStartOptions read(JsonBody body) {
    Duration execution = duration(body.optionalString("workflowExecutionTimeout", null), "workflowExecutionTimeout");
    Duration run = duration(body.optionalString("workflowRunTimeout", null), "workflowRunTimeout");
    ActivityParameters.RetryPolicy retry = retryPolicy(body.optionalObject("retryOptions"));
    Map<String, Payload> memo = new LinkedHashMap<>();
    ObjectNode memoNode = body.optionalObject("memo");
    if (memoNode != null) {
      memoNode.properties().forEach(e -> memo.put(e.getKey(), new Payload(e.getValue().toString())));
    }
    String cron = body.optionalString("cronSchedule", null);
    Duration delay = duration(body.optionalString("startDelay", null), "startDelay");
    Map<String, SearchAttributeValue> attributes = searchAttributes(body.optionalObject("searchAttributes"));
    if (execution == null && run == null && retry == null && memo.isEmpty() && cron == null && delay == null
        && attributes.isEmpty()) {
      return WorkflowStartOptions.NONE;
    }
    return new WorkflowStartOptions(execution, run, null, retry, memo, 1, delay, cron, null, null, attributes);
  }

  /**
   * {@code "searchAttributes": {"CustomerId": {"type": "KEYWORD", "value": "c-7"}, ...}}: each value
   * with its type (KEYWORD, TEXT, INT, DOUBLE, BOOL, DATETIME, KEYWORD_LIST), so a string is never
   * guessed to be a keyword or a date.
   */
  private static Map<String, SearchAttributeValue> searchAttributes(ObjectNode node) {
    if (node == null) {
      return Map.of();
    }
    SearchAttributes.Builder b = SearchAttributes.newBuilder();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (!(v instanceof ObjectNode o) || !o.path("type").isTextual() || !o.has("value") || o.size() != 2) {
        throw ApiError.INVALID_SEARCH_ATTRIBUTES.exception("searchAttributes." + e.getKey()
            + " must be {\"type\": \"KEYWORD\"|\"TEXT\"|\"INT\"|\"DOUBLE\"|\"BOOL\"|\"DATETIME\"|\"KEYWORD_LIST\", \"value\": ...}");
      }
      IndexedValueType type;
      try {
        type = IndexedValueType.valueOf(o.get("type").asText());
      } catch (IllegalArgumentException x) {
        throw ApiError.INVALID_SEARCH_ATTRIBUTES.exception("searchAttributes." + e.getKey() + ".type is '"
            + o.get("type").asText() + "'; expected one of " + Arrays.toString(IndexedValueType.values()));
      }
      Object value = JSON.convertValue(o.get("value"), Object.class);
      if (value == null) {
        throw ApiError.INVALID_SEARCH_ATTRIBUTES.exception("searchAttributes." + e.getKey() + ".value is null");
      }
      try {
        value = SearchAttributeCodec.typed(new SearchAttributeValue(type, value));
      } catch (IllegalArgumentException x) {
        throw ApiError.INVALID_SEARCH_ATTRIBUTES.exception("searchAttributes." + e.getKey() + ": " + x.getMessage());
      }
      b.set(SearchAttributeKey.forUntyped(e.getKey(), type), value);
    }
    return SearchAttributeCodec.encode(b.build());
  }

  /** Search attributes as the API writes them: {@code {"name": {"type": "KEYWORD", "value": "c-7"}}}. */
  public static ObjectNode searchAttributes(SearchAttributes attributes) {
    ObjectNode out = JSON.createObjectNode();
    attributes.getUntypedValues().forEach((k, v) -> {
      ObjectNode a = out.putObject(k.getName());
      a.put("type", k.getValueType().name());
      a.set("value", JSON.valueToTree(new SearchAttributeValue(k.getValueType(), v).value()));
    });
    return out;
  }

  private static Duration duration(String value, String field) {
    if (value == null) {
      return null;
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiError.INVALID_DURATION.exception("field '" + field + "' is '" + value
          + "'; expected an ISO-8601 duration such as PT30S, PT2H or P7D");
    }
  }

  /** Fields left out take RetryOptions' defaults (1 s, 2.0, 100 x the initial interval, unlimited). */
  private static ActivityParameters.RetryPolicy retryPolicy(ObjectNode o) {
    if (o == null) {
      return null;
    }
    for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!RETRY_FIELDS.contains(name)) {
        throw ApiError.UNKNOWN_FIELD.exception("unknown field 'retryOptions." + name + "' (allowed: "
            + String.join(", ", new TreeSet<>(RETRY_FIELDS)) + ")");
      }
    }
    RetryOptions defaults = RetryOptions.getDefaultInstance();
    Duration initial = o.hasNonNull("initialInterval")
        ? duration(text(o, "initialInterval"), "retryOptions.initialInterval") : defaults.getInitialInterval();
    double coefficient = o.hasNonNull("backoffCoefficient")
        ? number(o, "backoffCoefficient").doubleValue() : defaults.getBackoffCoefficient();
    Duration maximum = o.hasNonNull("maximumInterval")
        ? duration(text(o, "maximumInterval"), "retryOptions.maximumInterval") : initial.multipliedBy(100);
    int attempts = o.hasNonNull("maximumAttempts") ? integer(o, "maximumAttempts") : 0;
    List<String> doNotRetry = new ArrayList<>();
    JsonNode list = o.get("doNotRetry");
    if (list != null && !list.isNull()) {
      if (!(list instanceof ArrayNode array)) {
        throw ApiError.INVALID_FIELD.exception("field 'retryOptions.doNotRetry' must be an array of strings, got "
            + JsonBody.kind(list));
      }
      for (JsonNode t : array) {
        if (!t.isTextual()) {
          throw ApiError.INVALID_FIELD.exception("field 'retryOptions.doNotRetry' must be an array of strings, got "
              + JsonBody.kind(t) + " in it");
        }
        doNotRetry.add(t.asText());
      }
    }
    return new ActivityParameters.RetryPolicy(initial, coefficient, maximum, attempts, doNotRetry);
  }

  private static String text(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    if (!v.isTextual()) {
      throw ApiError.INVALID_FIELD.exception("field 'retryOptions." + field + "' must be an ISO-8601 duration string, got "
          + JsonBody.kind(v));
    }
    return v.asText();
  }

  private static Number number(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    if (!v.isNumber()) {
      throw ApiError.INVALID_FIELD.exception("field 'retryOptions." + field + "' must be a number, got " + JsonBody.kind(v));
    }
    return v.numberValue();
  }

  private static int integer(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw ApiError.INVALID_FIELD.exception("field 'retryOptions." + field + "' must be an integer, got "
          + JsonBody.kind(v));
    }
    return v.intValue();
  }

  /** A description as JSON, its durations (timeouts, retry intervals) as ISO-8601 strings. */
  public static ObjectNode describe(WorkflowDescription d) {
    ObjectNode out = JSON.valueToTree(d);
    out.set("searchAttributes", searchAttributes(d.getTypedSearchAttributes()));
    putDuration(out, "workflowExecutionTimeout", d.workflowExecutionTimeout());
    putDuration(out, "workflowRunTimeout", d.workflowRunTimeout());
    RetryOptions r = d.retryOptions();
    if (r == null) {
      out.putNull("retryOptions");
    } else {
      ObjectNode retry = out.putObject("retryOptions");
      retry.put("initialInterval", r.getInitialInterval().toString());
      retry.put("backoffCoefficient", r.getBackoffCoefficient());
      retry.put("maximumInterval", r.getMaximumInterval().toString());
      retry.put("maximumAttempts", r.getMaximumAttempts());
      ArrayNode types = retry.putArray("doNotRetry");
      r.getDoNotRetry().forEach(types::add);
    }
    return out;
  }

  private static void putDuration(ObjectNode out, String field, Duration d) {
    if (d == null) {
      out.putNull(field);
    } else {
      out.put(field, d.toString());
    }
  }
}
