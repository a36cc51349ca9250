package dev.tempora.common.converter;

import dev.tempora.converter.DataConverter;
import dev.tempora.converter.PayloadDecodingException;
import dev.tempora.history.Payload;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;

/**
 * Values not yet decoded, as Temporal's {@code EncodedValues}: what dynamic workflows, activities
 * and handlers receive (the caller's arguments, still one payload) and what a dynamic update
 * handler returns. The handler decodes each value with the type it expects, by position, through
 * the data converter of the worker that received them (its codecs and payload converters).
 */
public final class EncodedValues {
  private final Payload payload;
  private final Object[] values;
  /** What reads the payload (the worker's converter, ADR 20). */
  private final dev.tempora.internal.converter.DataConverter converter;
  private List<Payload> elements;

  /** Values in hand (a dynamic update handler's result, say), encoded when they are sent. */
  public EncodedValues(Object... values) {
    this.payload = null;
    this.values = values == null ? new Object[0] : values;
    this.converter = dev.tempora.internal.converter.DataConverter.get();
  }

  /** The arguments of a call as the engine carries them (one payload; null: none), read with {@code converter}. */
  public EncodedValues(Payload argumentsPayload, DataConverter converter) {
    this.payload = argumentsPayload;
    this.values = null;
    this.converter = dev.tempora.internal.converter.DataConverter.of(converter);
  }

  /** The arguments of a call as the engine carries them, read with the default converter. */
  public static EncodedValues fromPayload(Payload argumentsPayload) {
    return new EncodedValues(argumentsPayload, null);
  }

  public int getSize() {
    return values != null ? values.length : elements().size();
  }

  public boolean isEmpty() {
    return getSize() == 0;
  }

  /** The first value; {@link #get(int, Class)} with index 0. */
  public <T> T get(Class<T> parameterType) {
    return get(0, parameterType);
  }

  /** The value at {@code index} as {@code parameterType}; null (a primitive's zero) when there is none. */
  public <T> T get(int index, Class<T> parameterType) {
    return get(index, parameterType, parameterType);
  }

  /** As {@link #get(int, Class)} for a generic type ({@code List<Order>}). */
  @SuppressWarnings("unchecked")
  public <T> T get(int index, Class<T> parameterType, Type genericParameterType) {
    if (index < 0) {
      throw new IndexOutOfBoundsException("index " + index);
    }
    if (values != null) {
      Object v = index < values.length ? values[index] : null;
      if (v == null || parameterType.isInstance(v) && parameterType == genericParameterType) {
        return v == null ? (T) dev.tempora.internal.converter.DataConverter.defaultValue(parameterType) : (T) v;
      }
      // A value in hand of another type converts as it would after a trip through a payload.
      return (T) converter.fromPayload(converter.toPayload(v), genericParameterType);
    }
    Payload element = index < elements().size() ? elements().get(index) : null;
    if (element == null || (element.metadata() == null && "null".equals(element.json()))) {
      return (T) dev.tempora.internal.converter.DataConverter.defaultValue(parameterType);
    }
    try {
      return (T) converter.fromPayload(element, genericParameterType);
    } catch (PayloadDecodingException e) {
      throw e; // named (a missing key, say): another deployment can read it
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read value " + index + " as " + genericParameterType.getTypeName()
          + ": " + e.getMessage(), e);
    }
  }

  /** The values as one payload (what the engine records). */
  public Payload toPayload() {
    return payload != null ? payload : converter.toArgsPayload(values);
  }

  private List<Payload> elements() {
    if (elements == null) {
      elements = converter.argumentPayloads(payload);
    }
    return elements;
  }

  @Override
  public String toString() {
    return "EncodedValues" + (values != null ? Arrays.toString(values) : String.valueOf(payload));
  }
}
