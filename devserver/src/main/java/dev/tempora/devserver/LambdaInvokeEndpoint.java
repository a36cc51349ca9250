package dev.tempora.devserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * A stand-in for the Lambda Invoke REST API ({@code POST
 * /2015-03-31/functions/{FunctionName}/invocations}) serving functions registered in this JVM, so
 * code that invokes functions through the real {@code LambdaClient} (queries, in Tempora) works
 * offline: point the client's {@code endpointOverride} at {@link #endpoint()}.
 *
 * <p>A function is a {@code Function<String, String>}, JSON in and JSON out, typically a lambda
 * wrapping the real handler. Answers as Lambda does: 200 with the function's output; a function
 * that throws is still a 200, with header {@code X-Amz-Function-Error: Unhandled} and the Java
 * runtime's error document ({@code errorMessage}, {@code errorType}, {@code stackTrace}) as payload;
 * service errors carry {@code x-amzn-ErrorType} and a {@code {"Type":"User","message":...}} body:
 * unknown function 404 {@code ResourceNotFoundException}, a payload that is not JSON 400 {@code
 * InvalidRequestContentException}, a request over 6 MB 413 {@code RequestTooLargeException}. A
 * response over 6 MB becomes the function error {@code Function.ResponseSizeTooLarge}, as on Lambda.
 *
 * <p>Invocation types: {@code RequestResponse} (default), {@code Event} (202 at once, runs in the
 * background, errors only logged; Lambda would retry twice) and {@code DryRun} (204). Differences
 * from Lambda: the function is found by name only (an ARN or partial ARN is reduced to its name;
 * qualifiers and versions are ignored); no timeout or memory limit; {@code LogType: Tail} is
 * ignored (no {@code X-Amz-Log-Result}); no IAM: a request must be signed with the stack's
 * credential (else 403 UnrecognizedClientException, InvalidSignatureException or
 * MissingAuthenticationTokenException), and nothing else is checked. The listener's own refusals
 * ({@link Refusal}) come in the service-error shape; a failure of the stand-in itself is
 * ServiceException 500 with an error id (the log has the details). A function error's document
 * names the exception's type and stack, as Lambda's Java runtime does: the caller is the
 * devserver's own Lambda client, which never shows it to a person as such.
 */
public final class LambdaInvokeEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LambdaInvokeEndpoint.class);
  private static final String PREFIX = "/2015-03-31/functions/";
  private static final String SUFFIX = "/invocations";
  /** Lambda's synchronous payload limits: 6 MB request, 6 MB response (the latter as Lambda words it). */
  static final int MAX_REQUEST_BYTES = 6 * 1024 * 1024;
  static final int MAX_RESPONSE_BYTES = 6_291_556;

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Function<String, String>> functions = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Lambda's service-error shape: header x-amzn-ErrorType, body {"Type":"User","message":...}. */
  static final ErrorShape ERRORS = new ErrorShape() {
    @Override
    public LocalReply reply(int status, String name, String message) {
      ObjectNode body = JSON.createObjectNode();
      body.put("Type", status >= 500 ? "Service" : "User");
      body.put("message", message);
      return LocalReply.json(status, Map.of("x-amzn-ErrorType", name), body.toString());
    }

    @Override
    public String name(Refusal refusal) {
      return switch (refusal) {
        case INTERNAL_ERROR -> "ServiceException";
        case PAYLOAD_TOO_LARGE -> "RequestTooLargeException";
        default -> refusal.errorName();
      };
    }
  };

  /** Runs Event (asynchronous) invocations. */
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final SigV4Verifier verifier;
  private final LocalHttpServer server;

  private LambdaInvokeEndpoint(AwsCredentials credentials, HttpLimits limits) {
    verifier = new SigV4Verifier(credentials);
    server = LocalHttpServer.start("lambda-invoke", 0, limits, MAX_REQUEST_BYTES, ERRORS,
        request -> LocalHttpServer.Outcome.reply(handle(request)));
  }

  /** Starts the endpoint on 127.0.0.1 and a free port; serves requests signed with {@code credentials} only. */
  public static LambdaInvokeEndpoint start(AwsCredentials credentials) {
    return start(credentials, HttpLimits.defaults());
  }

  public static LambdaInvokeEndpoint start(AwsCredentials credentials, HttpLimits limits) {
    return new LambdaInvokeEndpoint(credentials, limits);
  }

  /** Registers (or replaces) a function under its plain name. */
  public LambdaInvokeEndpoint register(String functionName, Function<String, String> function) {
    functions.put(functionName, function);
    return this;
  }

  public void unregister(String functionName) {
    functions.remove(functionName);
  }

  /** The endpoint to give {@code LambdaClient.builder().endpointOverride(...)}. */
  public URI endpoint() {
    return server.endpoint();
  }

  /** The ARN Lambda would give a function of this name (for configuration that wants ARNs). */
  public static String functionArn(String functionName) {
    return "arn:aws:lambda:" + EmbeddedAws.REGION.id() + ":" + EmbeddedAws.ACCOUNT_ID + ":function:" + functionName;
  }

  private LocalReply handle(LocalRequest request) {
    Optional<SigV4Verifier.Refused> refused = verifier.check(request);
    if (refused.isPresent()) {
      return ERRORS.reply(403, refused.get().error(), refused.get().message());
    }
    String path = request.path(); // decoded: an ARN arrives as arn%3Aaws%3A...
    if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || path.length() <= PREFIX.length() + SUFFIX.length()) {
      return ERRORS.reply(404, "UnknownOperationException", "Unknown operation " + request.method() + " "
          + LocalHttpServer.printable(path));
    }
    if (!request.method().equals("POST")) {
      return ERRORS.reply(405, "MethodNotAllowedException", "Invoke takes POST");
    }
    String name = functionName(path.substring(PREFIX.length(), path.length() - SUFFIX.length()));
    Function<String, String> function = functions.get(name);
    if (function == null) {
      return ERRORS.reply(404, "ResourceNotFoundException", "Function not found: " + functionArn(name));
    }
    String payload = new String(request.body(), StandardCharsets.UTF_8);
    if (!payload.isBlank() && !isJson(payload)) {
      return ERRORS.reply(400, "InvalidRequestContentException", "Could not parse request body into json");
    }
    String type = request.header("X-Amz-Invocation-Type");
    if (type == null || type.equals("RequestResponse")) {
      return invoke(name, function, payload);
    } else if (type.equals("Event")) {
      executor.execute(() -> {
        try {
          function.apply(payload);
        } catch (RuntimeException e) {
          log.warn("{}: asynchronous invocation failed (Lambda would retry it twice)", name, e);
        }
      });
      return LocalReply.json(202, Map.of(), null);
    } else if (type.equals("DryRun")) {
      return LocalReply.json(204, Map.of(), null);
    } else {
      return ERRORS.reply(400, "InvalidParameterValueException", "Invalid invocation type: "
          + LocalHttpServer.printable(type));
    }
  }

  private LocalReply invoke(String name, Function<String, String> function, String payload) {
    String output;
    try {
      output = function.apply(payload);
    } catch (RuntimeException e) {
      log.debug("{}: function error", name, e);
      return functionError(errorDocument(e));
    }
    if (output == null) output = "null"; // the Java runtime serializes a null result as JSON null
    int size = output.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_RESPONSE_BYTES) {
      ObjectNode error = json.createObjectNode();
      error.put("errorMessage", "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).");
      error.put("errorType", "Function.ResponseSizeTooLarge");
      return functionError(error);
    }
    return LocalReply.json(200, Map.of("X-Amz-Executed-Version", "$LATEST"), output);
  }

  private static LocalReply functionError(ObjectNode error) {
    return LocalReply.json(200, Map.of("X-Amz-Function-Error", "Unhandled", "X-Amz-Executed-Version", "$LATEST"),
        error.toString());
  }

  /** The Java runtime's shape for an uncaught exception. */
  private ObjectNode errorDocument(Throwable e) {
    ObjectNode error = json.createObjectNode();
    error.put("errorMessage", e.getMessage());
    error.put("errorType", e.getClass().getName());
    var trace = error.putArray("stackTrace");
    Arrays.stream(e.getStackTrace()).limit(50).forEach(f -> trace.add(f.toString()));
    if (e.getCause() != null && e.getCause() != e) error.set("cause", errorDocument(e.getCause()));
    return error;
  }

  /** {@code my-fn}, {@code my-fn:alias}, {@code 123456789012:function:my-fn}, or a full ARN, to {@code my-fn}. */
  static String functionName(String nameOrArn) {
    String name = nameOrArn;
    int function = name.indexOf(":function:");
    if (function >= 0) name = name.substring(function + ":function:".length());
    int qualifier = name.indexOf(':');
    return qualifier >= 0 ? name.substring(0, qualifier) : name;
  }

  private boolean isJson(String payload) {
    try {
      json.readTree(payload);
      return true;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** Stops accepting requests at once; invocations in progress are abandoned. */
  @Override
  public void close() {
    server.close();
    executor.shutdownNow();
  }
}
