package dev.tempora.examples.order;

/**
 * The warehouse cannot fill the order. The workflow lists this type in its retry policy's
 * {@code doNotRetry}: retrying would not bring the stock back, so the saga compensates at once.
 */
public final class OutOfStockException extends RuntimeException {
  public OutOfStockException(String message) {
    super(message);
  }
}
