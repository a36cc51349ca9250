package dev.tempora.devserver;

import java.time.Duration;

/**
 * Limits of one devserver HTTP listener, so that no client (a slow one, a stalled one, or many)
 * can hold the server: requests are refused with a named error and connections beyond the cap
 * wait in a bounded accept queue.
 *
 * @param maxConnections connections served at once; more wait in the accept queue until one closes
 * @param acceptQueue connections the kernel may hold waiting to be accepted (beyond: not accepted)
 * @param readTimeout the longest silence while a request is read, and an idle keep-alive connection's
 *     life: a client that sends part of a request and stalls is answered 408 {@code RequestTimeout}
 *     (or, mid-headers, disconnected) after this
 * @param bodyTimeout the longest time to receive a whole body, however slowly it trickles in
 * @param maxHeaderBytes request line and headers together; larger is 431 {@code HeadersTooLarge}
 *     (a request line alone over it is 414 {@code UriTooLong})
 */
public record HttpLimits(int maxConnections, int acceptQueue, Duration readTimeout, Duration bodyTimeout,
    int maxHeaderBytes) {

  public HttpLimits {
    if (maxConnections < 1 || acceptQueue < 1 || maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("HttpLimits: maxConnections and acceptQueue must be >= 1, maxHeaderBytes >= 1024");
    }
    if (readTimeout.isNegative() || readTimeout.isZero() || bodyTimeout.isNegative() || bodyTimeout.isZero()) {
      throw new IllegalArgumentException("HttpLimits: timeouts must be positive");
    }
  }

  /** 128 connections (128 more queued), 5 s read timeout, 30 s per body, 16 KiB of headers. */
  public static HttpLimits defaults() {
    return new HttpLimits(128, 128, Duration.ofSeconds(5), Duration.ofSeconds(30), 16 * 1024);
  }

  public HttpLimits withMaxConnections(int max) {
    return new HttpLimits(max, acceptQueue, readTimeout, bodyTimeout, maxHeaderBytes);
  }

  public HttpLimits withReadTimeout(Duration timeout) {
    return new HttpLimits(maxConnections, acceptQueue, timeout, bodyTimeout, maxHeaderBytes);
  }

  public HttpLimits withBodyTimeout(Duration timeout) {
    return new HttpLimits(maxConnections, acceptQueue, readTimeout, timeout, maxHeaderBytes);
  }
}
