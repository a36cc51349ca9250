package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The devserver's HTTP listener over real sockets: every refusal a JSON error of the API's shape
 * (no HTML, no exception text), a read timeout for stalled requests, a body timeout for trickling
 * ones, and a connection cap.
 */
class LocalHttpServerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final int MAX_BODY = 1024;

  private final List<LocalHttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(LocalHttpServer::close);
  }

  /** Echoes the body's size; {@code /fail} throws with text that must never reach the client. */
  private URI start(HttpLimits limits) {
    LocalHttpServer server = LocalHttpServer.start("test", 0, limits, MAX_BODY, HttpApiServer.ERRORS, request -> {
      if (request.rawPath().equals("/fail")) {
        throw new IllegalStateException("secret-detail: software.amazon.awssdk DynamoDbException at table t");
      }
      return LocalHttpServer.Outcome.reply(LocalReply.json(200, Map.of(), "{\"bytes\":" + request.body().length + "}"));
    });
    servers.add(server);
    return server.endpoint();
  }

  private URI start() {
    return start(HttpLimits.defaults());
  }

  /** A refusal of the documented shape, and nothing a JDK or Jetty error page would carry. */
  private static void assertRefused(int status, String error, RawHttp.Reply reply) {
    assertEquals(status, reply.status(), reply::toString);
    assertEquals("application/json", reply.headers().get("content-type"), reply::toString);
    assertEquals(error, reply.json().path("error").asText(), reply::toString);
    assertTrue(reply.json().path("message").asText().length() > 5, reply::toString);
    assertEquals(2, reply.json().size(), () -> "only error and message: " + reply);
    assertNoInternals(reply);
  }

  static void assertNoInternals(RawHttp.Reply reply) {
    String body = reply.body();
    for (String leak : List.of("<html", "<h1", "Exception", "java.", "org.eclipse", "jetty", "Jetty",
        "software.amazon", "secret-detail", "\tat ")) {
      assertFalse(body.contains(leak), () -> "the body shows '" + leak + "': " + reply);
    }
    assertFalse(reply.headers().containsKey("server"), () -> "no Server header naming the software: " + reply);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "garbage request line          | GARBAGE\\r\\n\\r\\n                                                       | 400 | BadRequest",
      "HTTP/0.9 (no version)         | GET /\\r\\n\\r\\n                                                         | 505 | HttpVersionNotSupported",
      "header line without a colon   | GET / HTTP/1.1\\r\\nHost: a\\r\\nBad Header\\r\\n\\r\\n                       | 400 | BadRequest",
      "no Host header                | GET / HTTP/1.1\\r\\n\\r\\n                                                | 400 | BadRequest",
      "two Content-Lengths           | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\nab | 400 | BadRequest",
      "negative Content-Length       | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: -1\\r\\n\\r\\n               | 400 | BadRequest",
      "bad percent-encoding          | GET /workflows/a%zz HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                         | 400 | BadRequest",
      "control character in path     | GET /a%00b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                                 | 400 | BadRequest",
      "HTTP/2.0 request line         | GET / HTTP/2.0\\r\\nHost: a\\r\\n\\r\\n                                     | 505 | HttpVersionNotSupported",
      "gzip transfer coding          | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n          | 501 | UnsupportedTransferEncoding",
      "gzip before chunked           | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 501 | UnsupportedTransferEncoding",
      "bad chunk size                | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\nab\\r\\n0\\r\\n\\r\\n | 400 | BadRequest",
  })
  void aMalformedRequestIsANamedJsonError(String name, String request, int status, String error) {
    String raw = request.strip().replace("\\r\\n", "\r\n");
    assertRefused(status, error, RawHttp.exchange(start(), raw, PATIENCE));
  }

  @Test
  void headersOverTheLimitAreHeadersTooLargeAndALongRequestLineIsUriTooLong() {
    URI endpoint = start(HttpLimits.defaults());
    assertRefused(431, "HeadersTooLarge", RawHttp.exchange(endpoint,
        "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "y".repeat(17 * 1024) + "\r\n\r\n", PATIENCE));
    assertRefused(414, "UriTooLong", RawHttp.exchange(endpoint,
        "GET /" + "y".repeat(17 * 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n", PATIENCE));
  }

  @Test
  void aBodyOverTheLimitIsPayloadTooLargeWhetherDeclaredOrChunked() {
    URI endpoint = start();
    String declared = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n" + "x".repeat(MAX_BODY + 1);
    RawHttp.Reply r = RawHttp.exchange(endpoint, declared, PATIENCE);
    assertRefused(413, "PayloadTooLarge", r);
    assertTrue(r.json().path("message").asText().contains("limit is " + MAX_BODY + " bytes"), r::toString);

    String chunk = "x".repeat(600);
    String chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n";
    assertRefused(413, "PayloadTooLarge", RawHttp.exchange(endpoint, chunked, PATIENCE));

    // A body at the limit is served.
    RawHttp.Reply ok = RawHttp.exchange(endpoint, "POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: "
        + MAX_BODY + "\r\n\r\n" + "x".repeat(MAX_BODY), PATIENCE);
    assertEquals(200, ok.status(), ok::toString);
    assertEquals(MAX_BODY, ok.json().path("bytes").asInt());
  }

  @Test
  void aStalledPartialBodyIsCutOffWhileOthersAreServed() throws Exception {
    URI endpoint = start(HttpLimits.defaults().withReadTimeout(Duration.ofMillis(500)));
    try (Socket stalled = RawHttp.connect(endpoint)) {
      stalled.setSoTimeout((int) PATIENCE.toMillis());
      RawHttp.send(stalled, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789");
      CompletableFuture<RawHttp.Reply> cutOff = CompletableFuture.supplyAsync(() -> {
        try {
          return RawHttp.read(stalled.getInputStream());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      // Meanwhile another client is served.
      RawHttp.Reply other = RawHttp.exchange(endpoint, "POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
          + "Content-Length: 3\r\n\r\nabc", PATIENCE);
      assertEquals(200, other.status(), other::toString);
      // The stalled one is answered (within the socket's patience, far above the read timeout) and closed.
      RawHttp.Reply r = cutOff.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertRefused(408, "RequestTimeout", r);
      assertEquals(-1, stalled.getInputStream().read(), "the connection is closed after the 408");
    }
  }

  @Test
  void aRequestStalledInItsHeadersIsDisconnected() throws Exception {
    URI endpoint = start(HttpLimits.defaults().withReadTimeout(Duration.ofMillis(500)));
    try (Socket stalled = RawHttp.connect(endpoint)) {
      stalled.setSoTimeout((int) PATIENCE.toMillis());
      RawHttp.send(stalled, "POST / HTTP/1.1\r\nHost: a\r\nContent-Le");
      byte[] rest = stalled.getInputStream().readAllBytes(); // returns once the server closes
      String answer = new String(rest, java.nio.charset.StandardCharsets.ISO_8859_1);
      assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), answer);
    }
  }

  @Test
  void aTricklingBodyIsCutOffAtTheBodyTimeout() throws Exception {
    URI endpoint = start(HttpLimits.defaults().withReadTimeout(Duration.ofSeconds(5)).withBodyTimeout(Duration.ofMillis(800)));
    try (Socket trickle = RawHttp.connect(endpoint)) {
      trickle.setSoTimeout((int) PATIENCE.toMillis());
      RawHttp.send(trickle, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n");
      CompletableFuture<RawHttp.Reply> reply = CompletableFuture.supplyAsync(() -> {
        try {
          return RawHttp.read(trickle.getInputStream());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      // One byte every 100 ms: never silent for the read timeout, but 1000 bytes would take 100 s.
      for (int i = 0; i < 1000 && !reply.isDone(); i++) {
        try {
          RawHttp.send(trickle, "x");
        } catch (IOException e) {
          break; // the server closed the connection
        }
        Thread.sleep(100);
      }
      assertRefused(408, "RequestTimeout", reply.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }
  }

  @Test
  void connectionsBeyondTheCapWaitUntilOneCloses() throws Exception {
    int cap = 3;
    URI endpoint = start(HttpLimits.defaults().withMaxConnections(cap).withReadTimeout(Duration.ofSeconds(30)));
    List<Socket> held = new ArrayList<>();
    try {
      // Fill the cap with keep-alive connections, each proven accepted by an answered request.
      for (int i = 0; i < cap; i++) {
        Socket s = RawHttp.connect(endpoint);
        held.add(s);
        s.setSoTimeout((int) PATIENCE.toMillis());
        RawHttp.send(s, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(200, RawHttp.read(s.getInputStream()).status());
      }
      try (Socket extra = RawHttp.connect(endpoint)) {
        RawHttp.send(extra, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        extra.setSoTimeout(1000);
        assertThrows(SocketTimeoutException.class, () -> extra.getInputStream().read(),
            "connection " + (cap + 1) + " must wait while " + cap + " are open");
        held.remove(0).close();
        extra.setSoTimeout((int) PATIENCE.toMillis());
        assertEquals(200, RawHttp.read(extra.getInputStream()).status(), "served once a connection closed");
      }
    } finally {
      for (Socket s : held) s.close();
    }
  }

  @Test
  void anEndpointFailureIsA500WithAnErrorIdAndNoExceptionText() {
    RawHttp.Reply r = RawHttp.exchange(start(), "GET /fail HTTP/1.1\r\nHost: a\r\n\r\n", PATIENCE);
    assertRefused(500, "InternalError", r);
    assertTrue(r.json().path("message").asText().matches("internal error \\(error id [0-9a-f]{12}; .*\\)"), r::toString);
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    URI endpoint = start();
    assertEquals("127.0.0.1", endpoint.getHost());
    assumeTrue(ListeningSockets.available(), "needs Linux /proc");
    List<InetSocketAddress> bound = ListeningSockets.ofThisProcess().stream()
        .filter(a -> a.getPort() == endpoint.getPort()).toList();
    assertFalse(bound.isEmpty(), "the listener shows in /proc/net/tcp");
    bound.forEach(a -> assertTrue(a.getAddress().isLoopbackAddress(), "bound to " + a));
  }
}
