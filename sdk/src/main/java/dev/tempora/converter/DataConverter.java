package dev.tempora.converter;

import dev.tempora.history.Payload;
import java.lang.reflect.Type;

/**
 * Turns arguments and results into payloads and back, as Temporal's {@code
 * io.temporal.common.converter.DataConverter}. Tempora carries a call's arguments as one payload
 * ({@link #toPayloads}); results, signals' and updates' arguments, heartbeat details and side
 * effects go through the same converter. Workflow code, activities and the client of one
 * deployment must use converters that read each other's payloads.
 */
public interface DataConverter {
  Payload toPayload(Object value) throws DataConverterException;

  <T> T fromPayload(Payload payload, Class<T> valueType, Type valueGenericType) throws DataConverterException;

  /** A call's arguments as one payload. */
  Payload toPayloads(Object... values) throws DataConverterException;

  /**
   * The arguments of one payload, converted to {@code types}; missing ones become null (or a
   * primitive's zero).
   */
  Object[] fromPayloads(Payload payload, Type[] types) throws DataConverterException;
}
