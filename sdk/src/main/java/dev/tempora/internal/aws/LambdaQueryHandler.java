package dev.tempora.internal.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.history.Payload;
import dev.tempora.internal.client.QueryHandler;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.coordinator.WorkflowTaskFailure;
import dev.tempora.internal.history.RunKey;
import java.io.IOException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Queries replay workflow code, so the client asks the coordinator function: a synchronous Lambda
 * Invoke with the contract of {@code QueryInvocationHandler} in coordinator-lambda.
 */
public final class LambdaQueryHandler implements QueryHandler {
  private static final ObjectMapper JSON = DataConverter.get().mapper();

  private final LambdaClient lambda;
  private final String functionName;

  public LambdaQueryHandler(LambdaClient lambda, String functionName) {
    this.lambda = lambda;
    this.functionName = functionName;
  }

  @Override
  public Payload query(RunKey run, String queryName, Payload args) {
    ObjectNode req = JSON.createObjectNode();
    req.put("operation", "query");
    req.put("namespace", run.namespace());
    req.put("workflowId", run.workflowId());
    req.put("runId", run.runId());
    req.put("queryName", queryName);
    req.put("args", args.json());
    if (args.metadata() != null) {
      req.set("argsMetadata", JSON.valueToTree(args.metadata())); // a codec's payload (ADR 20)
    }
    InvokeResponse resp = lambda.invoke(b -> b.functionName(functionName).invocationType(InvocationType.REQUEST_RESPONSE)
        .payload(SdkBytes.fromUtf8String(req.toString())));
    String body = resp.payload() == null ? "" : resp.payload().asUtf8String();
    if (resp.functionError() != null) {
      throw new IllegalStateException("coordinator function " + functionName + " failed (" + resp.functionError() + "): " + body);
    }
    JsonNode reply;
    try {
      reply = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("coordinator function " + functionName + " returned non-JSON: " + body, e);
    }
    JsonNode error = reply.get("error");
    if (error != null) {
      String message = error.path("type").asText() + ": " + error.path("message").asText();
      if ("WorkflowTaskFailing".equals(error.path("type").asText())) {
        throw new WorkflowTaskFailure(error.path("message").asText(), null);
      }
      throw new IllegalArgumentException(message);
    }
    return new Payload(reply.path("result").asText(), metadata(reply.get("resultMetadata")));
  }

  /** A payload's metadata as a request or reply carries it; null when absent (a plain JSON payload). */
  public static Map<String, String> metadata(JsonNode node) {
    if (node == null || !node.isObject()) {
      return null;
    }
    Map<String, String> m = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }
}
