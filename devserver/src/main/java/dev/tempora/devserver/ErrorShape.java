package dev.tempora.devserver;

/**
 * How one listener words an error: the HTTP API's {@code {"error", "message"}}, or the error
 * document of the AWS protocol an endpoint stands in for (so the AWS SDK maps it to its exception).
 */
interface ErrorShape {

  /** The reply for an error {@code name} with {@code status}. */
  LocalReply reply(int status, String name, String message);

  /** The name a transport refusal has at this endpoint (by default the refusal's own name). */
  default String name(Refusal refusal) {
    return refusal.errorName();
  }

  default LocalReply refuse(Refusal refusal, String message) {
    return reply(refusal.status(), name(refusal), message);
  }
}
