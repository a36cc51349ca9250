package dev.tempora.internal.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/**
 * A stand-in for EventBridge Scheduler's REST-JSON API, just enough for {@link AwsTimerService}:
 * it exists because no Scheduler emulator runs offline (LocalStack only stores schedules, and
 * needs Docker); the devserver's full stand-in, which also fires schedules, is separate work.
 * It stores schedules and records requests, and never fires anything.
 *
 * <ul>
 *   <li>CreateSchedule: {@code POST /schedules/{Name}}, JSON body (GroupName, ScheduleExpression,
 *       ScheduleExpressionTimezone, FlexibleTimeWindow{Mode}, ActionAfterCompletion, Target{Arn,
 *       RoleArn, Input}, ClientToken, ...); 200 {@code {"ScheduleArn":...}}; an existing name in
 *       the group is 409 ConflictException.
 *   <li>GetSchedule: {@code GET /schedules/{Name}?groupName=...}; 200 with the schedule's fields
 *       plus Arn, Name, GroupName, State; 404 ResourceNotFoundException.
 *   <li>DeleteSchedule: {@code DELETE /schedules/{Name}?groupName=...&clientToken=...}; 200 with
 *       an empty body; 404 ResourceNotFoundException.
 * </ul>
 *
 * Errors name their type in the {@code x-amzn-ErrorType} header (and {@code __type}), which is
 * how the SDK's REST-JSON protocol picks the exception class.
 */
final class SchedulerStub implements AutoCloseable {
  /** One request as received. */
  record Request(String method, String path, Map<String, String> query, String body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "/schedules/";

  private final HttpServer http;
  private final Map<String, ObjectNode> schedules = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  final SchedulerClient client;

  SchedulerStub() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", this::handle);
    http.start();
    client = SchedulerClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + http.getAddress().getPort()))
        .region(Region.US_EAST_1)
        .credentialsProvider(SqsTestServer.DUMMY)
        .httpClient(ApacheHttpClient.create())
        .build();
  }

  /** The stored CreateSchedule body of group/name, or null. */
  ObjectNode schedule(String group, String name) {
    return schedules.get(group + "/" + name);
  }

  int size() {
    return schedules.size();
  }

  void clear() {
    schedules.clear();
    requests.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(new Request(method, path, query, body));
      if (!path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
        error(exchange, 400, "ValidationException", "unsupported path " + path);
        return;
      }
      String name = URLDecoder.decode(path.substring(PREFIX.length()), StandardCharsets.UTF_8);
      switch (method) {
        case "POST" -> {
          ObjectNode schedule = (ObjectNode) JSON.readTree(body);
          String group = schedule.path("GroupName").asText("default");
          String arn = "arn:aws:scheduler:us-east-1:000000000000:schedule/" + group + "/" + name;
          if (schedules.putIfAbsent(group + "/" + name, schedule) != null) {
            error(exchange, 409, "ConflictException", "Schedule " + name + " already exists.");
            return;
          }
          respond(exchange, 200, JSON.createObjectNode().put("ScheduleArn", arn).toString());
        }
        case "GET" -> {
          String group = query.getOrDefault("groupName", "default");
          ObjectNode schedule = schedules.get(group + "/" + name);
          if (schedule == null) {
            error(exchange, 404, "ResourceNotFoundException", "Schedule " + name + " does not exist.");
            return;
          }
          ObjectNode out = schedule.deepCopy();
          out.remove("ClientToken");
          out.put("Arn", "arn:aws:scheduler:us-east-1:000000000000:schedule/" + group + "/" + name);
          out.put("Name", name);
          out.put("GroupName", group);
          out.put("State", schedule.path("State").asText("ENABLED"));
          respond(exchange, 200, out.toString());
        }
        case "DELETE" -> {
          String group = query.getOrDefault("groupName", "default");
          if (schedules.remove(group + "/" + name) == null) {
            error(exchange, 404, "ResourceNotFoundException", "Schedule " + name + " does not exist.");
            return;
          }
          respond(exchange, 200, "");
        }
        default -> error(exchange, 405, "ValidationException", "unsupported method " + method);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
    exchange.getResponseHeaders().add("x-amzn-ErrorType", type);
    respond(exchange, status, JSON.createObjectNode().put("__type", type).put("Message", message).toString());
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    client.close();
    http.stop(0);
  }
}
