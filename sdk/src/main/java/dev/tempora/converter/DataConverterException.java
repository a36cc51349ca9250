package dev.tempora.converter;

/** A value that cannot be made into a payload, or a payload that cannot be read; the message starts with a name. */
public class DataConverterException extends IllegalArgumentException {
  public DataConverterException(String message) {
    super(message);
  }

  public DataConverterException(String message, Throwable cause) {
    super(message, cause);
  }
}
