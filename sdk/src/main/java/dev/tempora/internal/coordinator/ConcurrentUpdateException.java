package dev.tempora.internal.coordinator;

/** A conditional write lost a race (another coordinator or client wrote first). Retry from a fresh read. */
public final class ConcurrentUpdateException extends RuntimeException {
  public ConcurrentUpdateException(String message) {
    super(message);
  }
}
