package dev.tempora.lambda.coordinator;

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
 * Synchronous invocations of the coordinator (Lambda Invoke, RequestResponse) for queries, which
 * must replay workflow code. Request: {@code {"operation":"query","namespace":..,"workflowId":..,
 * "runId":..,"queryName":..,"args":"<JSON array>"}}. Response: {@code {"result":"<JSON>"}} or
 * {@code {"error":{"type":..,"message":..}}} with type one of BadRequest, WorkflowTaskFailing,
 * QueryFailed.
 */
public final class QueryInvocationHandler implements RequestStreamHandler {
  private static final ObjectMapper JSON = DataConverter.get().mapper();

  private final WorkflowTaskProcessor processor;

  public QueryInvocationHandler() {
    this(dev.tempora.internal.aws.EnvironmentRuntime.get().processor);
  }

  public QueryInvocationHandler(WorkflowTaskProcessor processor) {
    this.processor = processor;
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
    if (req == null || !"query".equals(req.path("operation").asText())) {
      return error("BadRequest", "unknown operation '" + (req == null ? null : req.path("operation").asText())
          + "' (supported: query)");
    }
    for (String field : new String[] {"namespace", "workflowId", "runId", "queryName"}) {
      if (req.path(field).asText("").isEmpty()) {
        return error("BadRequest", "missing field '" + field + "'");
      }
    }
    RunKey run = new RunKey(req.get("namespace").asText(), req.get("workflowId").asText(), req.get("runId").asText());
    String args = req.path("args").asText("[]");
    try {
      Payload result = processor.query(run, req.get("queryName").asText(), new Payload(args));
      ObjectNode out = JSON.createObjectNode();
      out.put("result", result.json());
      return out;
    } catch (WorkflowTaskFailure e) {
      return error("WorkflowTaskFailing", e.getMessage());
    } catch (RuntimeException e) {
      return error("QueryFailed", e.getMessage());
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
