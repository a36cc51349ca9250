package dev.tempora.internal.aws;

/**
 * Message bodies too large to travel inline on SQS travel by reference: the sender stores the
 * body and sends a small reference; the receiver resolves it before decoding.
 */
public interface LargeBodies {
  /** The body to send: {@code body} itself, or a reference to where it was stored. */
  String outgoing(String partitionKey, String body);

  /** The real body of a received message (resolves a reference; returns other bodies unchanged). */
  String incoming(String body);

  LargeBodies INLINE = new LargeBodies() {
    public String outgoing(String partitionKey, String body) { return body; }
    public String incoming(String body) { return body; }
  };
}
