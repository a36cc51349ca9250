package dev.tempora.devserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.internal.http.ApiRequest;
import dev.tempora.internal.http.ApiResponse;
import dev.tempora.internal.http.HttpApi;
import java.net.URI;
import java.util.Map;

/**
 * The HTTP API (docs/http-api.md) over real HTTP on 127.0.0.1: the same {@link HttpApi} the
 * API Gateway handler serves on AWS, so what works against the devserver works there. No auth
 * (on AWS the gateway checks IAM signatures); loopback only. The listener's own refusals
 * (malformed HTTP, headers or body too large, timeouts, see {@link Refusal}) have the API's error
 * shape {@code {"error": name, "message": ...}}, as API Gateway's answers them with its own.
 */
public final class HttpApiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The API's error body. */
  static final ErrorShape ERRORS = (status, name, message) -> {
    ObjectNode out = JSON.createObjectNode();
    out.put("error", name);
    out.put("message", message);
    return LocalReply.json(status, Map.of(), out.toString());
  };

  private final LocalHttpServer server;

  private HttpApiServer(HttpApi api, int port, HttpLimits limits) {
    server = LocalHttpServer.start("http-api", port, limits, HttpApi.MAX_BODY_BYTES, ERRORS, request -> {
      ApiResponse r = api.handle(new ApiRequest(request.method(), request.rawPath(), request.rawQuery(),
          request.header("Content-Type"), request.body()));
      return LocalHttpServer.Outcome.reply(LocalReply.json(r.status(), r.headers(), r.body()));
    });
  }

  /** Serves {@code api} on 127.0.0.1 and {@code port} (0: a free one), within the default limits. */
  public static HttpApiServer start(HttpApi api, int port) {
    return start(api, port, HttpLimits.defaults());
  }

  public static HttpApiServer start(HttpApi api, int port, HttpLimits limits) {
    return new HttpApiServer(api, port, limits);
  }

  public URI endpoint() {
    return server.endpoint();
  }

  @Override
  public void close() {
    server.close();
  }
}
