package dev.tempora.converter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.tempora.history.Payload;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Payload converters tried in order, as Temporal's {@code DefaultDataConverter}; by default only
 * {@link JacksonJsonPayloadConverter}, so the default payloads are the JSON Tempora always wrote.
 * A call's arguments are one JSON array; an argument a non-JSON converter made is an element
 * holding its bytes in base64, and the payload's {@value #ARGUMENT_ENCODINGS} metadata lists
 * every element's encoding (only when one is not {@code json/plain}).
 */
public final class DefaultDataConverter implements DataConverter {
  public static final String ARGUMENT_ENCODINGS = "argument-encodings";
  /** Reads argument arrays as trees (any mapper parses JSON the same way). */
  private static final ObjectMapper TREES = new ObjectMapper();
  public static final DataConverter STANDARD_INSTANCE = newDefaultInstance();

  private final List<PayloadConverter> converters;
  private final Map<String, PayloadConverter> byEncoding = new HashMap<>();

  public DefaultDataConverter(PayloadConverter... converters) {
    this.converters = List.of(converters);
    for (PayloadConverter c : converters) {
      byEncoding.put(c.getEncodingType(), c);
    }
  }

  public static DefaultDataConverter newDefaultInstance() {
    return new DefaultDataConverter(new JacksonJsonPayloadConverter());
  }

  /**
   * A converter with these converters too: one whose encoding a converter already has replaces it
   * (a Jackson converter with your own mapper replaces the default one); one with a new encoding is
   * asked before the others, so a converter for some types gets them before Jackson, which takes
   * every value. (Temporal mutates and returns the converter; this one returns a new one.)
   */
  public DefaultDataConverter withPayloadConverterOverrides(PayloadConverter... overrides) {
    List<PayloadConverter> added = new ArrayList<>();
    List<PayloadConverter> all = new ArrayList<>(converters);
    for (PayloadConverter o : overrides) {
      int i = indexOf(all, o.getEncodingType());
      if (i >= 0) {
        all.set(i, o);
      } else {
        added.add(o);
      }
    }
    added.addAll(all);
    return new DefaultDataConverter(added.toArray(PayloadConverter[]::new));
  }

  private static int indexOf(List<PayloadConverter> list, String encoding) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).getEncodingType().equals(encoding)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Payload toPayload(Object value) {
    for (PayloadConverter c : converters) {
      Optional<Payload> p = c.toData(value);
      if (p.isPresent()) {
        return stamped(p.get(), c.getEncodingType());
      }
    }
    throw new DataConverterException("PayloadConverterNotFound: no payload converter takes "
        + (value == null ? "null" : value.getClass().getSimpleName()));
  }

  /** The payload with its converter's encoding in the metadata (none for plain JSON, as before codecs). */
  private static Payload stamped(Payload p, String encoding) {
    if (Payload.JSON_PLAIN.equals(encoding) && p.metadata() == null) {
      return p;
    }
    if (encoding.equals(p.encoding()) && p.metadata() != null) {
      return p;
    }
    Map<String, String> m = p.metadata() == null ? new HashMap<>() : new HashMap<>(p.metadata());
    m.put(Payload.ENCODING, encoding);
    return new Payload(p.json(), m);
  }

  @Override
  public <T> T fromPayload(Payload payload, Class<T> valueType, Type valueGenericType) {
    if (payload == null) {
      return null;
    }
    return converterFor(payload.encoding()).fromData(payload, valueType, valueGenericType);
  }

  private PayloadConverter converterFor(String encoding) {
    PayloadConverter c = byEncoding.get(encoding);
    if (c == null) {
      throw new PayloadDecodingException("PayloadConverterNotFound: no payload converter reads encoding '" + encoding
          + "'" + (encoding.startsWith("binary/") ? " (a codec's payload: use a CodecDataConverter with that codec)" : ""));
    }
    return c;
  }

  @Override
  public Payload toPayloads(Object... values) {
    Object[] args = values == null ? new Object[0] : values;
    StringBuilder json = new StringBuilder("[");
    List<String> encodings = new ArrayList<>(args.length);
    boolean allJson = true;
    for (int i = 0; i < args.length; i++) {
      Payload p = toPayload(args[i]);
      json.append(i == 0 ? "" : ",").append(p.json());
      encodings.add(p.encoding());
      allJson &= Payload.JSON_PLAIN.equals(p.encoding());
    }
    String text = json.append(']').toString();
    return allJson ? new Payload(text) : new Payload(text, Map.of(ARGUMENT_ENCODINGS, String.join(",", encodings)));
  }

  @Override
  public Object[] fromPayloads(Payload payload, Type[] types) {
    JsonNode array;
    try {
      array = payload == null ? null : TREES.readTree(payload.json());
    } catch (JsonProcessingException e) {
      throw new DataConverterException("PayloadNotReadable: arguments are not JSON: " + e.getOriginalMessage(), e);
    }
    if (array != null && !array.isArray()) {
      throw new DataConverterException("PayloadNotReadable: expected a JSON array of arguments, got " + array.getNodeType()
          + (payload.metadata() != null && payload.encoding().startsWith("binary/")
              ? " (a codec's payload: use a CodecDataConverter with that codec)" : ""));
    }
    String listed = payload == null || payload.metadata() == null ? null : payload.metadata().get(ARGUMENT_ENCODINGS);
    String[] encodings = listed == null ? new String[0] : listed.split(",", -1);
    Object[] out = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      JsonNode element = array == null || i >= array.size() ? null : array.get(i);
      String encoding = i < encodings.length ? encodings[i] : Payload.JSON_PLAIN;
      if (element == null || (element.isNull() && Payload.JSON_PLAIN.equals(encoding))) {
        out[i] = dev.tempora.internal.converter.DataConverter.defaultValue(types[i]);
        continue;
      }
      Payload p = Payload.JSON_PLAIN.equals(encoding) ? new Payload(element.toString())
          : new Payload(element.toString(), Map.of(Payload.ENCODING, encoding));
      out[i] = converterFor(encoding).fromData(p, TypeFactory.rawClass(types[i]), types[i]);
    }
    return out;
  }
}
