package dev.tempora.converter;

import dev.tempora.history.Payload;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compresses payloads with zlib (deflate), as Temporal's {@code ZlibPayloadCodec}. A payload that
 * compression would not make smaller is left as it is (small payloads grow when framed).
 */
public final class ZlibPayloadCodec implements PayloadCodec {
  public static final String ENCODING = "binary/zlib";
  private final int level;

  public ZlibPayloadCodec() {
    this(Deflater.DEFAULT_COMPRESSION);
  }

  public ZlibPayloadCodec(int level) {
    this.level = level;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encode).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(ZlibPayloadCodec::decode).toList();
  }

  private Payload encode(Payload p) {
    byte[] frame = PayloadFrame.toBytes(p);
    Deflater deflater = new Deflater(level);
    try {
      deflater.setInput(frame);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length / 2 + 16);
      byte[] buf = new byte[8192];
      while (!deflater.finished()) {
        out.write(buf, 0, deflater.deflate(buf));
      }
      Payload encoded = Payload.ofBytes(out.toByteArray(), Map.of(Payload.ENCODING, ENCODING));
      return encoded.sizeBytes() < p.sizeBytes() ? encoded : p;
    } finally {
      deflater.end();
    }
  }

  private static Payload decode(Payload p) {
    if (!ENCODING.equals(p.encoding())) {
      return p;
    }
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(p.bytes());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new PayloadDecodingException("PayloadCorrupt: a " + ENCODING + " payload ends before its data does");
        }
        out.write(buf, 0, n);
      }
      return PayloadFrame.fromBytes(out.toByteArray());
    } catch (DataFormatException e) {
      throw new PayloadDecodingException("PayloadCorrupt: a " + ENCODING + " payload is not zlib data: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
