package dev.tempora.internal.converter;

/** A payload over the limit; raised before anything is written. */
public final class PayloadTooLargeException extends IllegalArgumentException {
  public PayloadTooLargeException(long size, long limit) {
    super("payload of " + size + " bytes exceeds the " + limit + "-byte payload limit: "
        + "pass a reference (for example an S3 key) instead of the data");
  }
}
