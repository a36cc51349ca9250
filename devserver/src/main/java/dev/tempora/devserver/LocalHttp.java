package dev.tempora.devserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The little HTTP plumbing the two endpoint stand-ins share (JDK HttpServer, loopback only). */
final class LocalHttp {
  private LocalHttp() {}

  /** A server on 127.0.0.1 and a free port, handling each exchange on its own virtual thread. */
  static HttpServer loopbackServer(ExecutorService executor) {
    return loopbackServer(executor, 0);
  }

  /** A server on 127.0.0.1 and {@code port} (0: a free one). */
  static HttpServer loopbackServer(ExecutorService executor, int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.setExecutor(executor);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not open a loopback HTTP server on port " + port, e);
    }
  }

  static ExecutorService virtualThreads() {
    return Executors.newVirtualThreadPerTaskExecutor();
  }

  /** Reads at most {@code limit} bytes; returns null when the body is larger. */
  static byte[] readBody(HttpExchange exchange, int limit) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(limit + 1);
      return body.length > limit ? null : body;
    }
  }

  /** Query parameters of the request, decoded (first value wins). */
  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> result = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) return result;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      result.putIfAbsent(key, value);
    }
    return result;
  }

  /** Sends a response with a JSON (or empty) body and the request id header AWS services set. */
  static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    if (bytes.length > 0) exchange.getResponseHeaders().set("Content-Type", "application/json");
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
