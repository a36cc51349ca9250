package dev.tempora.devserver;

/**
 * Why a devserver HTTP listener refused a request before (or instead of) its endpoint answering:
 * the transport's own errors, each with its status and the error name clients see (an endpoint that
 * speaks an AWS protocol may rename some, see {@link ErrorShape}).
 */
enum Refusal {
  /** Not valid HTTP/1.1: request line, header syntax, framing (Content-Length), percent-encoding. */
  BAD_REQUEST(400, "BadRequest"),
  /** The request (headers or body) did not arrive within the read or body timeout. */
  REQUEST_TIMEOUT(408, "RequestTimeout"),
  PAYLOAD_TOO_LARGE(413, "PayloadTooLarge"),
  URI_TOO_LONG(414, "UriTooLong"),
  HEADERS_TOO_LARGE(431, "HeadersTooLarge"),
  /** A Transfer-Encoding other than {@code chunked}. */
  UNSUPPORTED_TRANSFER_ENCODING(501, "UnsupportedTransferEncoding"),
  /** Not HTTP/1.0 or HTTP/1.1. */
  UNSUPPORTED_HTTP_VERSION(505, "HttpVersionNotSupported"),
  /** A failure of the server itself; the body carries an error id, the log the details. */
  INTERNAL_ERROR(500, "InternalError");

  private final int status;
  private final String errorName;

  Refusal(int status, String errorName) {
    this.status = status;
    this.errorName = errorName;
  }

  int status() {
    return status;
  }

  String errorName() {
    return errorName;
  }

  /** The refusal for a status Jetty's parser chose. */
  static Refusal ofStatus(int status) {
    return switch (status) {
      case 408 -> REQUEST_TIMEOUT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 414 -> URI_TOO_LONG;
      case 431 -> HEADERS_TOO_LARGE;
      case 501 -> UNSUPPORTED_TRANSFER_ENCODING;
      case 426, 505 -> UNSUPPORTED_HTTP_VERSION;
      default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    };
  }
}
