package dev.tempora.examples.etl;

/** A transient failure of the transform service: worth retrying. */
public final class TransformUnavailableException extends RuntimeException {
  public TransformUnavailableException(String message) {
    super(message);
  }
}
