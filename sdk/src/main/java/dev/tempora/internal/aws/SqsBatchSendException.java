package dev.tempora.internal.aws;

import java.util.List;

/**
 * Some entries of a SendMessageBatch were not accepted. Entries not named here were sent; the
 * caller retries the whole send (the outbox does), and FIFO deduplication drops the ones already
 * accepted.
 */
public final class SqsBatchSendException extends RuntimeException {
  /** One rejected entry: the message id it carried and SQS's reason. */
  public record Failure(String messageId, String code, String message, boolean senderFault) {}

  private final List<Failure> failures;

  public SqsBatchSendException(String queueUrl, List<Failure> failures) {
    super("SQS rejected " + failures.size() + " message(s) of a batch to " + queueUrl + ": " + failures);
    this.failures = List.copyOf(failures);
  }

  public List<Failure> failures() {
    return failures;
  }
}
