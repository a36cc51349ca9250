package dev.tempora.common.converter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.DataConverter;
import java.lang.reflect.Type;

/**
 * Values not yet decoded, as Temporal's {@code EncodedValues}: what dynamic workflows, activities
 * and handlers receive (the caller's arguments, still a JSON array payload) and what a dynamic
 * update handler returns. The handler decodes each value with the type it expects, by position.
 */
public final class EncodedValues {
  private final Payload payload;
  private final Object[] values;
  private JsonNode array;

  /** Values in hand (a dynamic update handler's result, say), encoded when they are sent. */
  public EncodedValues(Object... values) {
    this.payload = null;
    this.values = values == null ? new Object[0] : values;
  }

  private EncodedValues(Payload payload) {
    this.payload = payload;
    this.values = null;
  }

  /** The arguments of a call as the engine carries them: one JSON array (null: none). */
  public static EncodedValues fromPayload(Payload argumentsPayload) {
    return new EncodedValues(argumentsPayload);
  }

  public int getSize() {
    return values != null ? values.length : array().size();
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
        return v == null ? (T) DataConverter.defaultValue(parameterType) : (T) v;
      }
      // A value in hand of another type converts as it would after a trip through a payload.
      return (T) DataConverter.get().fromPayload(DataConverter.get().toPayload(v), genericParameterType);
    }
    JsonNode element = index < array().size() ? array().get(index) : null;
    if (element == null || element.isNull()) {
      return (T) DataConverter.defaultValue(parameterType);
    }
    ObjectMapper mapper = DataConverter.get().mapper();
    try {
      return (T) mapper.treeToValue(element, mapper.constructType(genericParameterType));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot read value " + index + " as " + genericParameterType.getTypeName()
          + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The values as one JSON array payload (what the engine records). */
  public Payload toPayload() {
    return payload != null ? payload : DataConverter.get().toArgsPayload(values);
  }

  private JsonNode array() {
    if (array == null) {
      ObjectMapper mapper = DataConverter.get().mapper();
      try {
        JsonNode node = payload == null ? mapper.createArrayNode() : mapper.readTree(payload.json());
        // A single value (a result) counts as one value.
        array = node.isArray() ? node : mapper.createArrayNode().add(node);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("cannot read values from " + payload + ": " + e.getOriginalMessage(), e);
      }
    }
    return array;
  }

  @Override
  public String toString() {
    return "EncodedValues" + (values != null ? java.util.Arrays.toString(values) : String.valueOf(payload));
  }
}
