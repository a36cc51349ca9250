package dev.tempora.devserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.SqsDeadLetters;
import dev.tempora.internal.http.ApiRequest;
import dev.tempora.internal.http.ApiResponse;
import dev.tempora.internal.http.HttpApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Web UI (ADR web-ui): plain HTML, CSS and JavaScript from this jar, and the HTTP API under
 * {@code /api} answered in process by an {@link HttpApi}, on a listener of its own on 127.0.0.1.
 * The devserver serves it over its stack; {@code tempora ui} over a deployed engine.
 *
 * <p>Every {@code /api} request must carry {@code Authorization: Bearer <token>}, a token fresh at
 * each start that only the printed URL carries (in its fragment, never sent to a server or logged).
 * The page keeps it in the origin's localStorage (origins differ by port, cookies would not) and
 * sends it as that header, which no other website can make a browser send without a CORS
 * preflight this server never grants; other local users do not know it. The Host must be this
 * listener's (against DNS rebinding).
 */
public final class UiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ASSETS = "/dev/tempora/devserver/ui/";
  /** The page's files: path, resource and type. */
  private static final Map<String, String[]> FILES = Map.of(
      "/", new String[] {"index.html", "text/html; charset=utf-8"},
      "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
      "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
      "/app.css", new String[] {"app.css", "text/css; charset=utf-8"},
      "/favicon.svg", new String[] {"favicon.svg", "image/svg+xml"});
  /** The page runs only its own script and style, and no other site may frame it (confirmations). */
  private static final Map<String, String> PAGE_HEADERS = Map.of(
      "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      "X-Frame-Options", "DENY",
      "X-Content-Type-Options", "nosniff",
      "Referrer-Policy", "no-referrer",
      "Cache-Control", "no-store");

  private final HttpApi api;
  private final String token;
  private final Map<String, byte[]> assets = new LinkedHashMap<>();
  private final LocalHttpServer server;

  private UiServer(HttpApi api, int port, HttpLimits limits) {
    this.api = api;
    byte[] t = new byte[24];
    RANDOM.nextBytes(t);
    token = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
    FILES.values().forEach(f -> assets.computeIfAbsent(f[0], UiServer::resource));
    server = LocalHttpServer.start("web-ui", port, limits, HttpApi.MAX_BODY_BYTES, HttpApiServer.ERRORS, this::handle);
  }

  /**
   * Serves the UI over {@code api} on 127.0.0.1 and {@code port} (0: a free one). Give the API its
   * dead-letter routes ({@link HttpApi#withDeadLetters}) for the dead-letter page.
   */
  public static UiServer start(HttpApi api, int port) {
    return new UiServer(api, port, HttpLimits.defaults());
  }

  /**
   * The UI over a deployed engine ({@code tempora ui --stack ...}): the runtime's HTTP API (its
   * registered workflow code answers queries in process; without code, the coordinator function
   * does) and the deployment's dead-letter queues, read through the runtime's SQS client (the
   * user's credentials).
   */
  public static UiServer forDeployment(AwsRuntime runtime, int port) {
    return start(runtime.operatorHttpApi().withDeadLetters(
        SqsDeadLetters.forDeployment(runtime.clients.sqs(), runtime.config)), port);
  }

  /** The listener's base URL (without the token). */
  public URI endpoint() {
    return server.endpoint();
  }

  /** The URL to open: the base URL with the token in its fragment. */
  public URI launchUrl() {
    return URI.create(server.endpoint() + "/#token=" + token);
  }

  @Override
  public void close() {
    server.close();
  }

  private LocalHttpServer.Outcome handle(LocalRequest request) {
    return LocalHttpServer.Outcome.reply(reply(request));
  }

  private LocalReply reply(LocalRequest request) {
    String host = request.header("Host");
    int port = server.port();
    if (host == null || !(host.equals("127.0.0.1:" + port) || host.equals("localhost:" + port))) {
      return error(403, "ForbiddenHost", "the Web UI answers only at 127.0.0.1:" + port);
    }
    String path = request.rawPath();
    if (path.equals("/api") || path.startsWith("/api/")) {
      return api(request, path.substring("/api".length()));
    }
    String[] file = FILES.get(path);
    if (file == null || !request.method().equals("GET")) {
      return error(404, "NotFound", "no page " + request.method() + " " + path + " (open the URL the server printed)");
    }
    Map<String, String> headers = new LinkedHashMap<>(PAGE_HEADERS);
    headers.put("Content-Type", file[1]);
    return new LocalReply(200, headers, assets.get(file[0]));
  }

  private LocalReply api(LocalRequest request, String apiPath) {
    String auth = request.header("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      return error(401, "Unauthorized", "open the URL the server printed at start: it carries this UI's token");
    }
    byte[] given = auth.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
      return error(401, "Unauthorized", "the token is not this server's (it is fresh at each start): open the URL "
          + "the server printed");
    }
    ApiResponse r = api.handle(new ApiRequest(request.method(), apiPath.isEmpty() ? "/" : apiPath, request.rawQuery(),
        request.header("Content-Type"), request.body()));
    Map<String, String> headers = new LinkedHashMap<>(r.headers());
    headers.put("Cache-Control", "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    return LocalReply.json(r.status(), headers, r.body());
  }

  private static LocalReply error(int status, String name, String message) {
    ObjectNode out = JSON.createObjectNode();
    out.put("error", name);
    out.put("message", message);
    return LocalReply.json(status, Map.of("Cache-Control", "no-store"), out.toString());
  }

  private static byte[] resource(String name) {
    try (InputStream in = UiServer.class.getResourceAsStream(ASSETS + name)) {
      if (in == null) {
        throw new IllegalStateException("the Web UI's " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
