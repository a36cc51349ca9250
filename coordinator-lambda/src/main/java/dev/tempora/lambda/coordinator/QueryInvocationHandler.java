package dev.tempora.lambda.coordinator;

import dev.tempora.internal.aws.LambdaQueryHandler;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.coordinator.WorkflowTaskFailure;
import dev.tempora.internal.coordinator.WorkflowTaskProcessor;
import dev.tempora.internal.history.RunKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Synchronous invocations of the coordinator (Lambda Invoke, RequestResponse): queries, which
 * must replay workflow code, and describe ({@code {"operation":"describe","namespace":..,
 * "workflowId":..}} answers {@code {"result":{...WorkflowDescription...}}}). Request: {@code {"operation":"query","namespace":..,"workflowId":..,
 * "runId":..,"queryName":..,"args":"<JSON array>"}}. Response: {@code {"result":"<JSON>"}} or
 * {@code {"error":{"type":..,"message":..}}} with type one of BadRequest, WorkflowTaskFailing,
 * QueryFailed.
 */
public final class QueryInvocationHandler implements RequestStreamHandler {
  private static final ObjectMapper JSON = DataConverter.get().mapper();

  private final WorkflowTaskProcessor processor;
  private final java.util.function.BiFunction<String, String, dev.tempora.client.WorkflowDescription> describe;

  public QueryInvocationHandler() {
    this(dev.tempora.internal.aws.EnvironmentRuntime.get().processor,
        dev.tempora.internal.aws.EnvironmentRuntime.get()::describe);
  }

  public QueryInvocationHandler(WorkflowTaskProcessor processor) {
    this(processor, (namespace, workflowId) -> {
      throw new UnsupportedOperationException("describe is not configured on this handler");
    });
  }

  /** {@code describe(namespace, workflowId)} answers the describe operation. */
  public QueryInvocationHandler(WorkflowTaskProcessor processor,
      java.util.function.BiFunction<String, String, dev.tempora.client.WorkflowDescription> describe) {
    this.processor = processor;
    this.describe = describe;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    output.write(JSON.writeValueAsBytes(handle(input.readAllBytes())));
  }

  /** The JSON-to-JSON core, also used by the devserver's Lambda Invoke stand-in. */
  public ObjectNode handle(byte[] request) {
    JsonNode req;
    try {
      req = JSON.readTree(request);
    } catch (IOException e) {
      return error("BadRequest", "request is not JSON: " + e.getMessage());
    }
    String operation = req == null ? null : req.path("operation").asText();
    if ("describe".equals(operation)) {
      return describe(req);
    }
    if (!"query".equals(operation)) {
      return error("BadRequest", "unknown operation '" + operation + "' (supported: query, describe)");
    }
    for (String field : new String[] {"namespace", "workflowId", "runId", "queryName"}) {
      if (req.path(field).asText("").isEmpty()) {
        return error("BadRequest", "missing field '" + field + "'");
      }
    }
    RunKey run = new RunKey(req.get("namespace").asText(), req.get("workflowId").asText(), req.get("runId").asText());
    String args = req.path("args").asText("[]");
    try {
      Payload result = processor.query(run, req.get("queryName").asText(),
          new Payload(args, LambdaQueryHandler.metadata(req.get("argsMetadata"))));
      ObjectNode out = JSON.createObjectNode();
      out.put("result", result.json());
      if (result.metadata() != null) {
        out.set("resultMetadata", JSON.valueToTree(result.metadata()));
      }
      return out;
    } catch (WorkflowTaskFailure e) {
      return error("WorkflowTaskFailing", e.getMessage());
    } catch (RuntimeException e) {
      return error("QueryFailed", e.getMessage());
    }
  }

  private ObjectNode describe(JsonNode req) {
    for (String field : new String[] {"namespace", "workflowId"}) {
      if (req.path(field).asText("").isEmpty()) {
        return error("BadRequest", "missing field '" + field + "'");
      }
    }
    try {
      ObjectNode out = JSON.createObjectNode();
      out.set("result", JSON.valueToTree(describe.apply(req.get("namespace").asText(), req.get("workflowId").asText())));
      return out;
    } catch (dev.tempora.client.WorkflowNotFoundException e) {
      return error("NotFound", e.getMessage());
    } catch (RuntimeException e) {
      return error("DescribeFailed", e.getMessage());
    }
  }

  private static ObjectNode error(String type, String message) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode err = out.putObject("error");
    err.put("type", type);
    err.put("message", message);
    return out;
  }
}
