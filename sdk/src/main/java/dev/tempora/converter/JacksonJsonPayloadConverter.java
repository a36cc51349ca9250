package dev.tempora.converter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.history.Payload;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * JSON with Jackson ({@code json/plain}), Tempora's default: takes every value. Its payloads carry
 * no metadata. A custom {@link ObjectMapper} (modules, per-type serializers) replaces the default
 * one through {@link DefaultDataConverter#withPayloadConverterOverrides}.
 */
public final class JacksonJsonPayloadConverter implements PayloadConverter {
  private final ObjectMapper mapper;

  /** Tempora's own mapper: java.time as ISO text, Optional, unknown properties ignored. */
  public JacksonJsonPayloadConverter() {
    this(dev.tempora.internal.converter.DataConverter.get().mapper());
  }

  public JacksonJsonPayloadConverter(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Tempora's mapper, to start a custom one from ({@code newDefaultObjectMapper().registerModule(...)}). */
  public static ObjectMapper newDefaultObjectMapper() {
    return dev.tempora.internal.converter.DataConverter.get().mapper().copy();
  }

  ObjectMapper mapper() {
    return mapper;
  }

  @Override
  public String getEncodingType() {
    return Payload.JSON_PLAIN;
  }

  @Override
  public Optional<Payload> toData(Object value) {
    try {
      return Optional.of(new Payload(mapper.writeValueAsString(value)));
    } catch (JsonProcessingException e) {
      throw new DataConverterException("ValueNotConvertible: cannot convert " + value.getClass().getSimpleName()
          + " to JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public <T> T fromData(Payload content, Class<T> valueType, Type valueGenericType) {
    try {
      return mapper.readValue(content.json(), mapper.constructType(valueGenericType != null ? valueGenericType : valueType));
    } catch (JsonProcessingException e) {
      throw new DataConverterException("PayloadNotReadable: cannot read " + valueType.getSimpleName() + " from "
          + content + ": " + e.getOriginalMessage(), e);
    }
  }
}
