package dev.tempora.converter;

import dev.tempora.history.Payload;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A data converter whose payloads also go through codecs, as Temporal's {@code
 * CodecDataConverter}: the first codec is the outermost, so encoding runs the list from last to
 * first and decoding from first to last ({@code List.of(encryption, zlib)} compresses, then
 * encrypts). Each codec passes through payloads it did not make, so payloads written with fewer
 * codecs (or none) still read.
 */
public final class CodecDataConverter implements DataConverter {
  private final DataConverter converter;
  private final List<PayloadCodec> codecs;
  private final List<PayloadCodec> encodeOrder;

  public CodecDataConverter(DataConverter converter, Collection<PayloadCodec> codecs) {
    this.converter = converter;
    this.codecs = List.copyOf(codecs);
    List<PayloadCodec> reversed = new ArrayList<>(this.codecs);
    Collections.reverse(reversed);
    this.encodeOrder = List.copyOf(reversed);
  }

  @Override
  public Payload toPayload(Object value) {
    return encode(converter.toPayload(value));
  }

  @Override
  public <T> T fromPayload(Payload payload, Class<T> valueType, Type valueGenericType) {
    return converter.fromPayload(payload == null ? null : decode(payload), valueType, valueGenericType);
  }

  @Override
  public Payload toPayloads(Object... values) {
    return encode(converter.toPayloads(values));
  }

  @Override
  public Object[] fromPayloads(Payload payload, Type[] types) {
    return converter.fromPayloads(payload == null ? null : decode(payload), types);
  }

  public Payload encode(Payload p) {
    List<Payload> list = List.of(p);
    for (PayloadCodec c : encodeOrder) {
      list = c.encode(list);
    }
    return list.get(0);
  }

  public Payload decode(Payload p) {
    List<Payload> list = List.of(p);
    for (PayloadCodec c : codecs) {
      list = c.decode(list);
    }
    return list.get(0);
  }
}
