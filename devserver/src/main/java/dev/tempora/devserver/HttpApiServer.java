package dev.tempora.devserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tempora.internal.http.ApiRequest;
import dev.tempora.internal.http.ApiResponse;
import dev.tempora.internal.http.HttpApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.ExecutorService;

/**
 * The HTTP API (docs/http-api.md) over real HTTP on 127.0.0.1: the same {@link HttpApi} the
 * API Gateway handler serves on AWS, so what works against the devserver works there. No auth
 * (on AWS the gateway checks IAM signatures); loopback only.
 */
public final class HttpApiServer implements AutoCloseable {
  /** Bodies past this are read and discarded, so the client gets its 413 instead of a reset connection. */
  private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

  private final HttpApi api;
  private final ExecutorService executor = LocalHttp.virtualThreads();
  private final HttpServer server;

  private HttpApiServer(HttpApi api, int port) {
    this.api = api;
    server = LocalHttp.loopbackServer(executor, port);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves {@code api} on 127.0.0.1 and {@code port} (0: a free one). */
  public static HttpApiServer start(HttpApi api, int port) {
    return new HttpApiServer(api, port);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      ApiResponse r = api.handle(new ApiRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
          exchange.getRequestHeaders().getFirst("Content-Type"), readBody(exchange)));
      LocalHttp.send(exchange, r.status(), r.headers(), r.body());
    }
  }

  /** At most one byte over the API's limit (enough for it to answer 413); the rest is drained. */
  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(HttpApi.MAX_BODY_BYTES + 1);
      if (body.length > HttpApi.MAX_BODY_BYTES) {
        byte[] discard = new byte[64 * 1024];
        long drained = 0;
        for (int n; drained < DRAIN_LIMIT && (n = in.read(discard)) > 0; ) {
          drained += n;
        }
      }
      return body;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
