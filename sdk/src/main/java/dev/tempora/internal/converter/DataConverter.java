package dev.tempora.internal.converter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.tempora.converter.CodecDataConverter;
import dev.tempora.converter.DataConverterException;
import dev.tempora.converter.PayloadDecodingException;
import dev.tempora.converter.DefaultDataConverter;
import dev.tempora.history.Payload;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Turns arguments and results into JSON payloads and back, with Jackson. Arguments travel as one
 * JSON array; results as one JSON value. Payloads over {@link #MAX_PAYLOAD_BYTES} are refused with
 * {@link PayloadTooLargeException} before anything is recorded. With a user's {@link
 * dev.tempora.converter.DataConverter} ({@link #of}) that one makes and reads the payloads; the
 * default instance ({@link #get}) keeps Jackson's path, byte for byte as before converters were
 * pluggable, and refuses payloads a codec made (it cannot read them).
 */
public final class DataConverter {
  /** DESIGN.md: payloads up to 2 MB (larger than one DynamoDB item; chunked by the AWS store). */
  public static final int MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;

  private static final ObjectMapper MAPPER = newMapper();
  private static final DataConverter INSTANCE = new DataConverter(null);

  private final ObjectMapper mapper = MAPPER;
  /** The user's converter; null: Jackson with {@link #mapper}. */
  private final dev.tempora.converter.DataConverter custom;

  private DataConverter(dev.tempora.converter.DataConverter custom) {
    this.custom = custom;
  }

  /** The converter over the user's one; the default instance for null or the standard converter. */
  public static DataConverter of(dev.tempora.converter.DataConverter custom) {
    return custom == null || custom == DefaultDataConverter.STANDARD_INSTANCE ? INSTANCE : new DataConverter(custom);
  }

  /** The user's converter, or null for the default one. */
  public dev.tempora.converter.DataConverter custom() {
    return custom;
  }

  private static ObjectMapper newMapper() {
    // Jackson's default buffer pool is per thread (a ThreadLocal). Workflow code runs on virtual
    // threads, one per workflow thread, that stay parked in cached runners for as long as the
    // workflow waits: each kept its own ~16 KB of parser/generator buffers, most of a cached
    // runner's heap (memory benchmark). A pool shared by all threads keeps the buffers with the mapper.
    JsonFactory factory = JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
    return new ObjectMapper(factory)
        .registerModule(new JavaTimeModule())
        .registerModule(new Jdk8Module())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public static DataConverter get() {
    return INSTANCE;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public String toJson(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot convert " + value.getClass().getName() + " to JSON: " + e.getOriginalMessage(), e);
    }
  }

  public Payload toPayload(Object value) {
    return checked(custom == null ? new Payload(toJson(value)) : custom.toPayload(value));
  }

  /** Arguments as one JSON array payload. */
  public Payload toArgsPayload(Object[] args) {
    Object[] all = args == null ? new Object[0] : args;
    return custom == null ? toPayload(all) : checked(custom.toPayloads(all));
  }

  public Object fromPayload(Payload payload, Type type) {
    if (payload == null || type == void.class || type == Void.class) {
      return null;
    }
    if (custom != null) {
      return custom.fromPayload(payload, TypeFactory.rawClass(type), type);
    }
    requirePlain(payload);
    try {
      JavaType jt = mapper.constructType(type);
      return mapper.readValue(payload.json(), jt);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot read " + type.getTypeName() + " from payload " + payload + ": " + e.getOriginalMessage(), e);
    }
  }

  public Object[] fromArgsPayload(Payload payload, Type[] types) {
    if (custom != null) {
      return custom.fromPayloads(payload, types);
    }
    if (payload != null) {
      requirePlain(payload);
    }
    return fromJsonArray(payload == null ? "[]" : payload.json(), types.length, i -> types[i]);
  }

  /**
   * A call's arguments split into one payload per position, for code that decodes them one at a
   * time ({@code EncodedValues}): codecs decoded first, each element with the encoding its
   * converter gave it ({@link DefaultDataConverter#ARGUMENT_ENCODINGS}); read each with {@link
   * #fromPayload}. A payload that is not an array (a result) is one value.
   */
  public List<Payload> argumentPayloads(Payload args) {
    if (args == null) {
      return List.of();
    }
    Payload plain = args;
    if (custom == null) {
      requirePlain(args);
    } else if (custom instanceof CodecDataConverter codecs) {
      plain = codecs.decode(args); // each element then passes the codecs untouched (not their encoding)
    }
    JsonNode node;
    try {
      node = mapper.readTree(plain.json());
    } catch (JsonProcessingException e) {
      throw new DataConverterException("PayloadNotReadable: arguments are not JSON: " + e.getOriginalMessage(), e);
    }
    String listed = plain.metadata() == null ? null : plain.metadata().get(DefaultDataConverter.ARGUMENT_ENCODINGS);
    if (!node.isArray() || (plain.metadata() != null && listed == null)) {
      return List.of(plain);
    }
    String[] encodings = listed == null ? new String[0] : listed.split(",", -1);
    List<Payload> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String encoding = i < encodings.length ? encodings[i] : Payload.JSON_PLAIN;
      String element = node.get(i).toString();
      out.add(Payload.JSON_PLAIN.equals(encoding) ? new Payload(element)
          : new Payload(element, Map.of(Payload.ENCODING, encoding)));
    }
    return out;
  }

  /** Reads the first {@code count} elements of a JSON array; missing ones become null/defaults. */
  public Object[] fromJsonArray(String json, int count, IntFunction<Type> typeOf) {
    try {
      JsonNode node = json == null ? mapper.createArrayNode() : mapper.readTree(json);
      if (!node.isArray()) {
        throw new IllegalArgumentException("expected a JSON array of arguments, got " + node.getNodeType());
      }
      ArrayNode array = (ArrayNode) node;
      Object[] out = new Object[count];
      for (int i = 0; i < count; i++) {
        Type t = typeOf.apply(i);
        JsonNode element = i < array.size() ? array.get(i) : null;
        if (element == null || element.isNull()) {
          out[i] = defaultValue(t);
        } else {
          out[i] = mapper.treeToValue(element, mapper.constructType(t));
        }
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot read arguments from " + json + ": " + e.getOriginalMessage(), e);
    }
  }

  /** A payload the default converter cannot read (a codec's, or a custom converter's) is refused by name. */
  private static void requirePlain(Payload p) {
    if (p.metadata() != null) {
      throw new PayloadDecodingException("PayloadNotReadable: the payload is encoded as '" + p.encoding()
          + "' and this process has no data converter for it (configure the one the payload was written with)");
    }
  }

  /** What a method of that return or parameter type yields for "no value" (null, or a primitive's zero). */
  public static Object defaultValue(Type t) {
    if (t == boolean.class) return false;
    if (t == int.class) return 0;
    if (t == long.class) return 0L;
    if (t == double.class) return 0.0d;
    if (t == float.class) return 0.0f;
    if (t == short.class) return (short) 0;
    if (t == byte.class) return (byte) 0;
    if (t == char.class) return (char) 0;
    return null;
  }

  /** The payload if it is within the limit; {@link PayloadTooLargeException} otherwise. */
  public static Payload checked(Payload p) {
    if (p.sizeBytes() > MAX_PAYLOAD_BYTES) {
      throw new PayloadTooLargeException(p.sizeBytes(), MAX_PAYLOAD_BYTES);
    }
    return p;
  }
}
