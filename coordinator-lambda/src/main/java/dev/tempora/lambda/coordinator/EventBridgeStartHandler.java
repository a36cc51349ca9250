package dev.tempora.lambda.coordinator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowAlreadyStartedException;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowIdReusePolicy;
import dev.tempora.history.Payload;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.EnvironmentRuntime;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import dev.tempora.internal.http.ApiError;
import dev.tempora.internal.http.ApiException;
import dev.tempora.internal.http.Identifiers;
import dev.tempora.internal.http.JsonBody;
import dev.tempora.internal.http.WorkflowArguments;
import dev.tempora.internal.replay.WorkflowImplementation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target of an EventBridge rule that starts a workflow per matching event. The rule's target
 * input (an input transformer) is
 * {@code {"workflowType": "...", "taskQueue": "..."?, "workflowIdPrefix": "..."?, "event": <aws.events.event>}};
 * the workflow id is {@code workflowIdPrefix + event.id} and the event's {@code detail} is the
 * workflow method's single argument (a method with no parameters gets none).
 *
 * <p>EventBridge delivers at least once. A redelivered event has the same id, so it names the same
 * workflow id, and the start uses {@link WorkflowIdReusePolicy#REJECT_DUPLICATE}: while the first
 * run is open the start returns it, and once it has closed the policy refuses a second run, which
 * this handler counts as success. Either way nothing new starts.
 *
 * <p>Input that can never start a workflow (unknown type, missing event id, a detail that does not
 * convert to the parameter) throws {@link InvalidStartEventException}; see docs/http-api.md for
 * where such an event ends up.
 */
public final class EventBridgeStartHandler implements RequestStreamHandler {
  private static final Logger log = LoggerFactory.getLogger(EventBridgeStartHandler.class);
  private static final ObjectMapper JSON = DataConverter.get().mapper();

  /** What an event did: started a run, or found the one its id had already started. */
  public record Outcome(String workflowId, String runId, boolean started) {}

  private final WorkflowService service;
  private final WorkflowRegistry registry;

  public EventBridgeStartHandler() {
    this(EnvironmentRuntime.get());
  }

  public EventBridgeStartHandler(AwsRuntime runtime) {
    this(runtime.localService(), runtime.workflows);
  }

  public EventBridgeStartHandler(WorkflowService service, WorkflowRegistry registry) {
    this.service = service;
    this.registry = registry;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    output.write(JSON.writeValueAsBytes(handle(input.readAllBytes())));
  }

  /** Starts the event's workflow unless its id already has; throws {@link InvalidStartEventException}. */
  public Outcome handle(byte[] input) {
    try {
      return start(input);
    } catch (ApiException e) {
      throw new InvalidStartEventException(e.error().code(), e.getMessage());
    } catch (InvalidRequestException e) { // refused by the service's checks (an unserved task queue)
      throw new InvalidStartEventException(e.getError(), e.getDetail());
    }
  }

  private Outcome start(byte[] input) {
    JsonBody body = JsonBody.parse(input, true, "the EventBridge target input",
        "workflowType", "taskQueue", "workflowIdPrefix", "event");
    String type = body.requiredString("workflowType");
    String taskQueue = Identifiers.taskQueue(body.optionalString("taskQueue", Identifiers.DEFAULT_TASK_QUEUE));
    String prefix = body.optionalText("workflowIdPrefix", "");
    ObjectNode event = body.requiredObject("event");
    JsonNode eventId = event.get("id");
    if (eventId == null || !eventId.isTextual() || eventId.asText().isBlank()) {
      throw ApiError.MISSING_FIELD.exception("field 'event' has no 'id' (a non-empty string): is the target input "
          + "transformer passing the whole event as <aws.events.event>?");
    }
    String workflowId = Identifiers.workflowId(prefix + eventId.asText());
    WorkflowImplementation impl = registry.get(type).orElseThrow(() -> ApiError.UNKNOWN_WORKFLOW_TYPE.exception(
        "workflow type '" + type + "' is not registered (registered: " + String.join(", ", registry.types()) + ")"));
    Payload args = arguments(impl, event.get("detail"));
    try {
      WorkflowService.Started s = service.startRun(workflowId, type, taskQueue, args,
          WorkflowIdReusePolicy.REJECT_DUPLICATE);
      log.info("event {} ({}): {} workflow {} run {}", eventId.asText(), event.path("detail-type").asText(),
          s.created() ? "started" : "already running as", workflowId, s.execution().runId());
      return outcome(s.execution(), s.created());
    } catch (WorkflowAlreadyStartedException e) {
      // A redelivery after the first run closed: the id's run already happened.
      log.info("event {}: workflow {} already ran (run {}); nothing started", eventId.asText(), workflowId,
          e.getExisting().runId());
      return outcome(e.getExisting(), false);
    }
  }

  private static Payload arguments(WorkflowImplementation impl, JsonNode detail) {
    Method method = impl.metadata().workflowMethod();
    ArrayNode args = JSON.createArrayNode();
    if (method.getParameterCount() > 1) {
      throw ApiError.INVALID_ARGUMENTS.exception("workflow " + impl.workflowType() + " takes "
          + method.getParameterCount() + " arguments; an event supplies one (its detail)");
    }
    if (method.getParameterCount() == 1) {
      args.add(detail == null ? JSON.nullNode() : detail);
    }
    return WorkflowArguments.toPayload(method, args, "workflow " + impl.workflowType() + " (from the event's detail)");
  }

  private static Outcome outcome(WorkflowExecution e, boolean started) {
    return new Outcome(e.workflowId(), e.runId(), started);
  }
}
