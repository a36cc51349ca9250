package dev.tempora.devserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * ignored (no {@code X-Amz-Log-Result}); no auth (requests are not checked for a signature).
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
  private final ExecutorService executor = LocalHttp.virtualThreads();
  private final HttpServer server;

  private LambdaInvokeEndpoint() {
    server = LocalHttp.loopbackServer(executor);
    server.createContext(PREFIX, this::handle);
    server.start();
  }

  /** Starts the endpoint on 127.0.0.1 and a free port. */
  public static LambdaInvokeEndpoint start() {
    return new LambdaInvokeEndpoint();
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
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The ARN Lambda would give a function of this name (for configuration that wants ARNs). */
  public static String functionArn(String functionName) {
    return "arn:aws:lambda:" + EmbeddedAws.REGION.id() + ":" + EmbeddedAws.ACCOUNT_ID + ":function:" + functionName;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath(); // decoded: an ARN arrives as arn%3Aaws%3A...
      if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || path.length() <= PREFIX.length() + SUFFIX.length()) {
        serviceError(exchange, 404, "UnknownOperationException", "Unknown operation " + exchange.getRequestMethod() + " " + path);
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        serviceError(exchange, 405, "MethodNotAllowedException", "Invoke takes POST");
        return;
      }
      String name = functionName(path.substring(PREFIX.length(), path.length() - SUFFIX.length()));
      Function<String, String> function = functions.get(name);
      if (function == null) {
        serviceError(exchange, 404, "ResourceNotFoundException", "Function not found: " + functionArn(name));
        return;
      }
      byte[] body = LocalHttp.readBody(exchange, MAX_REQUEST_BYTES);
      if (body == null) {
        serviceError(exchange, 413, "RequestTooLargeException",
            "Request must be smaller than " + MAX_REQUEST_BYTES + " bytes for the InvokeFunction operation");
        return;
      }
      String payload = new String(body, StandardCharsets.UTF_8);
      if (!payload.isBlank() && !isJson(payload)) {
        serviceError(exchange, 400, "InvalidRequestContentException", "Could not parse request body into json");
        return;
      }
      String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
      if (type == null || type.equals("RequestResponse")) {
        invokeAndRespond(exchange, name, function, payload);
      } else if (type.equals("Event")) {
        executor.execute(() -> {
          try {
            function.apply(payload);
          } catch (RuntimeException e) {
            log.warn("{}: asynchronous invocation failed (Lambda would retry it twice)", name, e);
          }
        });
        LocalHttp.send(exchange, 202, Map.of(), null);
      } else if (type.equals("DryRun")) {
        LocalHttp.send(exchange, 204, Map.of(), null);
      } else {
        serviceError(exchange, 400, "InvalidParameterValueException", "Invalid invocation type: " + type);
      }
    } catch (RuntimeException e) {
      log.error("Lambda endpoint failed on {}", exchange.getRequestURI(), e);
      serviceError(exchange, 500, "ServiceException", "devserver failure: " + e);
    }
  }

  private void invokeAndRespond(HttpExchange exchange, String name, Function<String, String> function, String payload)
      throws IOException {
    String output;
    try {
      output = function.apply(payload);
    } catch (RuntimeException e) {
      log.debug("{}: function error", name, e);
      functionError(exchange, errorDocument(e));
      return;
    }
    if (output == null) output = "null"; // the Java runtime serializes a null result as JSON null
    int size = output.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_RESPONSE_BYTES) {
      ObjectNode error = json.createObjectNode();
      error.put("errorMessage", "Response payload size exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).");
      error.put("errorType", "Function.ResponseSizeTooLarge");
      functionError(exchange, error);
      return;
    }
    LocalHttp.send(exchange, 200, Map.of("X-Amz-Executed-Version", "$LATEST"), output);
  }

  private void functionError(HttpExchange exchange, ObjectNode error) throws IOException {
    LocalHttp.send(exchange, 200, Map.of("X-Amz-Function-Error", "Unhandled", "X-Amz-Executed-Version", "$LATEST"), error.toString());
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

  private void serviceError(HttpExchange exchange, int status, String type, String message) throws IOException {
    ObjectNode body = json.createObjectNode();
    body.put("Type", "User");
    body.put("message", message);
    LocalHttp.send(exchange, status, Map.of("x-amzn-ErrorType", type), body.toString());
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
    server.stop(0);
    executor.shutdownNow();
  }
}
