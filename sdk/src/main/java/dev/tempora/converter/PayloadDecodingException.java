package dev.tempora.converter;

/**
 * A payload this process cannot decode with its converter and codecs: its key is missing or does
 * not authenticate, no converter reads its encoding, KMS is unreachable. Another deployment (the
 * right keys, the right converter) can, so the engine fails the workflow task (it is retried, or
 * parks with the run) instead of dropping the signal that carried the payload.
 */
public class PayloadDecodingException extends DataConverterException {
  public PayloadDecodingException(String message) {
    super(message);
  }

  public PayloadDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
