package dev.tempora.converter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.history.Payload;
import java.io.IOException;

/** A whole payload (text and metadata) as the bytes a codec transforms, so decoding gives the payload back. */
final class PayloadFrame {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PayloadFrame() {}

  static byte[] toBytes(Payload p) {
    try {
      return JSON.writeValueAsBytes(p);
    } catch (IOException e) {
      throw new DataConverterException("PayloadCorrupt: cannot frame a payload: " + e.getMessage(), e);
    }
  }

  static Payload fromBytes(byte[] bytes) {
    try {
      Payload p = JSON.readValue(bytes, Payload.class);
      if (p == null || p.json() == null) {
        throw new DataConverterException("PayloadCorrupt: a decoded payload has no data");
      }
      return p;
    } catch (IOException e) {
      throw new DataConverterException("PayloadCorrupt: a decoded payload is not a payload: " + e.getMessage(), e);
    }
  }
}
