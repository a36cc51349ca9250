package dev.tempora.converter;

import dev.tempora.history.Payload;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * Converts values of the types it handles to payloads of one encoding, and reads payloads of that
 * encoding back. The {@link DefaultDataConverter} asks its converters in order; the first whose
 * {@link #toData} is not empty makes the payload, and a payload is read by the converter whose
 * {@link #getEncodingType} its metadata names.
 */
public interface PayloadConverter {
  /** The {@code encoding} metadata value of the payloads this converter makes, e.g. {@code json/plain}. */
  String getEncodingType();

  /** The value as a payload, or empty if this converter does not handle the value's type. */
  Optional<Payload> toData(Object value) throws DataConverterException;

  <T> T fromData(Payload content, Class<T> valueType, Type valueGenericType) throws DataConverterException;
}
