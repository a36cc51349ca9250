package dev.tempora.converter;

import dev.tempora.history.Payload;
import java.util.List;

/**
 * Transforms payloads after conversion (compression, encryption), as Temporal's {@code
 * io.temporal.payload.codec.PayloadCodec}. {@link #decode} must pass unchanged the payloads it did
 * not encode (its encoding is not in their metadata): histories written before the codec was
 * configured stay readable.
 */
public interface PayloadCodec {
  List<Payload> encode(List<Payload> payloads);

  List<Payload> decode(List<Payload> payloads);
}
