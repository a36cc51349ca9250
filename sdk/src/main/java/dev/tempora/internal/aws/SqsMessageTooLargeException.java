package dev.tempora.internal.aws;

/**
 * A message over the SQS message size limit (1 MiB, body plus attributes), raised before
 * anything is sent. For now large payloads are refused; passing them by reference (S3 or
 * DynamoDB side items) is future work.
 */
public final class SqsMessageTooLargeException extends IllegalArgumentException {
  private final long size;

  public SqsMessageTooLargeException(String queue, String what, long size) {
    super(what + " is " + size + " bytes, over the SQS message size limit of " + SqsLimits.MAX_MESSAGE_BYTES
        + " bytes (1 MiB) for queue " + queue
        + ": pass large values by reference (for example an S3 key) instead of inline");
    this.size = size;
  }

  public long size() {
    return size;
  }
}
