package dev.tempora.devserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One devserver HTTP listener (Jetty): on 127.0.0.1 only, within {@link HttpLimits}, and every
 * refusal worded by the endpoint's {@link ErrorShape}, Jetty's own included (malformed request line
 * or headers, headers too large, unsupported Transfer-Encoding), never an HTML page or exception
 * text. The endpoint gets the request with its whole body read; a failure of the endpoint is a 500
 * carrying only an error id, which is logged with the stack trace.
 */
final class LocalHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalHttpServer.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The one address every devserver listener binds: never a wildcard, never another interface. */
  static final String LOOPBACK = "127.0.0.1";
  /** Jetty's reasons are short phrases ("No Host", "Bad UTF-8 encoding"); anything else is not shown. */
  private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z0-9 ,.:;'=_/()-]{1,80}");

  /** What an endpoint does with a request. */
  interface Endpoint {
    /** The answer; may throw (a 500 with an error id results). */
    Outcome handle(LocalRequest request) throws Exception;
  }

  /** An endpoint's answer: a reply, or the request (body included) passed on to a Jetty handler. */
  sealed interface Outcome permits Outcome.Reply, Outcome.PassOn {
    record Reply(LocalReply reply) implements Outcome {}

    record PassOn(Handler handler) implements Outcome {}

    static Outcome reply(LocalReply reply) {
      return new Reply(reply);
    }
  }

  private final String name;
  private final Server server;
  private final ServerConnector connector;

  private LocalHttpServer(String name, int port, HttpLimits limits, int maxBodyBytes, ErrorShape shape,
      Endpoint endpoint) {
    this.name = name;
    // Platform threads, one per connection being served at most (plus Jetty's own): Jetty's
    // VirtualThreadPool halved DynamoDB Local's throughput here (measured, PutItem, one client).
    QueuedThreadPool threads = new QueuedThreadPool(limits.maxConnections() + 16, 2);
    threads.setName(name);
    threads.setDaemon(true);
    server = new Server(threads, new ScheduledExecutorScheduler(name + "-timer", true), new ArrayByteBufferPool());
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(limits.maxHeaderBytes());
    // The endpoints read the raw path and judge it themselves (the HTTP API answers InvalidPath or
    // InvalidWorkflowId): Jetty must not refuse what it calls ambiguous (%2F in an id, say).
    http.setUriCompliance(UriCompliance.UNSAFE);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(LOOPBACK);
    connector.setPort(port);
    connector.setIdleTimeout(limits.readTimeout().toMillis());
    connector.setAcceptQueueSize(limits.acceptQueue());
    server.addConnector(connector);
    // At the cap Jetty stops accepting: further connections wait in the (bounded) accept queue.
    server.addBean(new ConnectionLimit(limits.maxConnections(), server));
    server.setErrorHandler(new RefusingErrorHandler(name, shape, limits));
    server.setHandler(new BufferingHandler(name, limits, maxBodyBytes, shape, endpoint));
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw new IllegalStateException("could not start the " + name + " listener on 127.0.0.1:" + port, e);
    }
  }

  /**
   * Starts a listener on 127.0.0.1 and {@code port} (0: a free one).
   *
   * @param maxBodyBytes larger bodies are refused with {@link Refusal#PAYLOAD_TOO_LARGE}
   */
  static LocalHttpServer start(String name, int port, HttpLimits limits, int maxBodyBytes, ErrorShape shape,
      Endpoint endpoint) {
    return new LocalHttpServer(name, port, limits, maxBodyBytes, shape, endpoint);
  }

  int port() {
    return connector.getLocalPort();
  }

  URI endpoint() {
    return URI.create("http://" + LOOPBACK + ":" + port());
  }

  /** A fresh id for one internal error: in the reply and in the log line with the stack trace. */
  static String newErrorId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String internalErrorMessage(String errorId) {
    return "internal error (error id " + errorId + "; the devserver's log has the details)";
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("the {} listener did not stop cleanly", name, e);
    }
  }

  /** Writes {@code reply} as the response; {@code close} ends the connection after it. */
  static void write(Response response, Callback callback, LocalReply reply, boolean close) {
    response.setStatus(reply.status());
    HttpFields.Mutable headers = response.getHeaders();
    headers.put("x-amzn-RequestId", UUID.randomUUID().toString());
    reply.headers().forEach(headers::put);
    if (close) headers.put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  // ---------------------------------------------------------------------------------------------

  /** Reads the whole body within the limits, then asks the endpoint. */
  private static final class BufferingHandler extends Handler.Abstract {
    private final String name;
    private final HttpLimits limits;
    private final int maxBodyBytes;
    private final long drainLimit;
    private final ErrorShape shape;
    private final Endpoint endpoint;

    BufferingHandler(String name, HttpLimits limits, int maxBodyBytes, ErrorShape shape, Endpoint endpoint) {
      super(InvocationType.BLOCKING);
      this.name = name;
      this.limits = limits;
      this.maxBodyBytes = maxBodyBytes;
      // A body over the limit is read and discarded up to this much, so that the client gets its
      // 413 rather than a reset connection; past it the connection is closed at once.
      this.drainLimit = Math.max(4L * maxBodyBytes, 16L * 1024 * 1024);
      this.shape = shape;
      this.endpoint = endpoint;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String method = request.getMethod();
      String rawPath = request.getHttpURI().getPath();
      List<String> codings = request.getHeaders().getValuesList(HttpHeader.TRANSFER_ENCODING);
      if (!codings.isEmpty() && !(codings.size() == 1 && codings.get(0).trim().equalsIgnoreCase("chunked"))) {
        write(response, callback, shape.refuse(Refusal.UNSUPPORTED_TRANSFER_ENCODING,
            "Transfer-Encoding '" + printable(String.join(", ", codings)) + "' is not supported (only chunked)"), true);
        return true;
      }
      byte[] body;
      try {
        body = readBody(request);
      } catch (BodyTooLarge e) {
        write(response, callback, shape.refuse(Refusal.PAYLOAD_TOO_LARGE, "the request body has more than "
            + maxBodyBytes + " bytes; the limit is " + maxBodyBytes + " bytes"), true);
        return true;
      } catch (BodyTimeout e) {
        write(response, callback, shape.refuse(Refusal.REQUEST_TIMEOUT, "the request body did not arrive in time "
            + "(at most " + limits.readTimeout().toMillis() + " ms of silence and " + limits.bodyTimeout().toMillis()
            + " ms in all)"), true);
        return true;
      } catch (BadBody e) {
        write(response, callback, shape.refuse(Refusal.BAD_REQUEST, "malformed request body framing"), true);
        return true;
      } catch (IOException e) {
        // The client went away mid-body: nobody to answer.
        log.debug("{}: {} {}: the client went away while sending the body", name, method, rawPath, e);
        callback.failed(e);
        return true;
      }
      try {
        Outcome outcome = endpoint.handle(new LocalRequest(method, rawPath, request.getHttpURI().getQuery(),
            request.getHeaders(), body));
        switch (outcome) {
          case Outcome.Reply r -> write(response, callback, r.reply(), false);
          case Outcome.PassOn p -> {
            if (!p.handler().handle(new ReplayedRequest(request, body), response, callback)) {
              write(response, callback, shape.reply(404, "UnknownOperation", "no such operation"), false);
            }
          }
        }
      } catch (Exception e) {
        String id = newErrorId();
        log.error("{}: {} {} failed (error id {})", name, method, rawPath, id, e);
        if (!response.isCommitted()) {
          write(response, callback, shape.refuse(Refusal.INTERNAL_ERROR, internalErrorMessage(id)), false);
        } else {
          callback.failed(e);
        }
      }
      return true;
    }

    private byte[] readBody(Request request) throws IOException {
      long declared = request.getLength();
      if (declared > drainLimit) {
        throw new BodyTooLarge();
      }
      long deadline = System.nanoTime() + limits.bodyTimeout().toNanos();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(
          (int) Math.min(Math.max(declared, 0), maxBodyBytes + 1L));
      byte[] buffer = new byte[16 * 1024];
      long total = 0;
      try (InputStream in = Content.Source.asInputStream(request)) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          total += n;
          if (total <= maxBodyBytes) {
            out.write(buffer, 0, n);
          } else if (total > drainLimit) {
            throw new BodyTooLarge();
          }
          if (System.nanoTime() > deadline) {
            throw new BodyTimeout();
          }
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof BodyTooLarge || e instanceof BodyTimeout) throw e;
        for (Throwable t = e; t != null; t = t.getCause()) {
          if (t instanceof TimeoutException) throw new BodyTimeout();
          if (t instanceof BadMessageException) throw new BadBody();
        }
        throw e instanceof IOException io ? io : new IOException(e);
      }
      if (total > maxBodyBytes) {
        throw new BodyTooLarge();
      }
      return out.toByteArray();
    }
  }

  private static final class BodyTooLarge extends IOException {
    BodyTooLarge() {
      super(null, null);
    }
  }

  private static final class BodyTimeout extends IOException {
    BodyTimeout() {
      super(null, null);
    }
  }

  private static final class BadBody extends IOException {
    BadBody() {
      super(null, null);
    }
  }

  /** The request with its body already read, for a Jetty handler that reads it again. */
  private static final class ReplayedRequest extends Request.Wrapper {
    private Content.Chunk next;

    ReplayedRequest(Request request, byte[] body) {
      super(request);
      next = Content.Chunk.from(ByteBuffer.wrap(body), true);
    }

    @Override
    public synchronized Content.Chunk read() {
      Content.Chunk chunk = next;
      next = Content.Chunk.EOF;
      return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
      demandCallback.run();
    }

    @Override
    public long getLength() {
      return next == null ? 0 : next.remaining();
    }
  }

  /**
   * Jetty's error handler, for what it refuses before any endpoint sees the request (parser
   * errors) and for failures outside the endpoint: the endpoint's error shape, never HTML.
   */
  private static final class RefusingErrorHandler implements Request.Handler {
    private final String name;
    private final ErrorShape shape;
    private final HttpLimits limits;

    RefusingErrorHandler(String name, ErrorShape shape, HttpLimits limits) {
      this.name = name;
      this.shape = shape;
      this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer s ? s : 500;
      Throwable cause = request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
      String reason = cause instanceof BadMessageException bad ? bad.getReason() : null;
      Refusal refusal = Refusal.ofStatus(status);
      if (reason != null && reason.startsWith("Bad Transfer-Encoding")) {
        refusal = Refusal.UNSUPPORTED_TRANSFER_ENCODING;
      }
      String message = switch (refusal) {
        case BAD_REQUEST -> "malformed HTTP request" + (reason != null && PLAIN_REASON.matcher(reason).matches()
            && !reason.equals(HttpStatus.getMessage(400)) ? " (" + reason + ")" : "");
        case REQUEST_TIMEOUT -> "the request did not arrive within " + limits.readTimeout().toMillis() + " ms";
        case PAYLOAD_TOO_LARGE -> "the request body is too large";
        case URI_TOO_LONG -> "the request line is longer than " + limits.maxHeaderBytes() + " bytes";
        case HEADERS_TOO_LARGE -> "the request headers are larger than " + limits.maxHeaderBytes() + " bytes";
        case UNSUPPORTED_TRANSFER_ENCODING -> "Transfer-Encoding must be chunked or absent";
        case UNSUPPORTED_HTTP_VERSION -> "only HTTP/1.0 and HTTP/1.1 are served";
        case INTERNAL_ERROR -> {
          String id = newErrorId();
          log.error("{}: {} {} failed (error id {}, status {})", name, request.getMethod(),
              request.getHttpURI().getPath(), id, status, cause);
          yield internalErrorMessage(id);
        }
      };
      write(response, callback, shape.refuse(refusal, message), true);
      return true;
    }
  }

  /** A header value fit to echo: printable ASCII, at most 60 characters. */
  static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 60 ? p.substring(0, 60) + "..." : p;
  }
}
