package dev.tempora.internal.aws;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a (JSON) body is stored in an item that must stay under DynamoDB's 400 KB item limit:
 * plain text up to {@link #COMPRESS_OVER_BYTES}, gzip above that, and if the compressed body still
 * exceeds {@link #MAX_INLINE_BYTES}, split into chunk side items the owning item references by
 * count.
 *
 * <p>Chunk keys are {@code <owner sk>#c#<writeId>#<nnnn>}: the per-write id keeps a writer that
 * loses the race for the owner item from overwriting the winner's chunks (both write their chunks
 * before the conditional put of the owner item, which stays the commit point). A loser's chunks are
 * orphans that readers skip; the loser deletes them on a best-effort basis.
 */
final class ItemBody {
  /** Bodies over this many UTF-8 bytes are gzipped (JSON histories compress 5-20x). */
  static final int COMPRESS_OVER_BYTES = 32 * 1024;
  /** Largest (compressed) body kept in the owner item; leaves room for its other attributes. */
  static final int MAX_INLINE_BYTES = 350 * 1024;
  static final int CHUNK_BYTES = 350 * 1024;

  /** S: the body as plain text. */
  static final String BODY = "body";
  /** B: the body gzipped. */
  static final String BODY_GZ = "bodyGz";
  /** N: the number of chunk side items; their concatenated {@link #DATA} is the gzipped body. */
  static final String CHUNKS = "chunks";
  /** S: the id of the write that stored this item (and named its chunks). */
  static final String WRITE_ID = "writeId";
  /** B: a chunk item's slice of the gzipped body. */
  static final String DATA = "data";

  /** Attributes for the owner item and the chunk slices to store beside it (usually none). */
  record Encoded(Map<String, AttributeValue> attributes, List<byte[]> chunks) {}

  private ItemBody() {}

  static Encoded encode(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    Map<String, AttributeValue> attrs = new HashMap<>();
    if (utf8.length <= COMPRESS_OVER_BYTES) {
      attrs.put(BODY, AttributeValue.fromS(text));
      return new Encoded(attrs, List.of());
    }
    byte[] gz = gzip(utf8);
    if (gz.length <= MAX_INLINE_BYTES) {
      attrs.put(BODY_GZ, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(gz)));
      return new Encoded(attrs, List.of());
    }
    List<byte[]> chunks = new ArrayList<>();
    for (int from = 0; from < gz.length; from += CHUNK_BYTES) {
      chunks.add(Arrays.copyOfRange(gz, from, Math.min(gz.length, from + CHUNK_BYTES)));
    }
    attrs.put(CHUNKS, AttributeValue.fromN(Integer.toString(chunks.size())));
    return new Encoded(attrs, chunks);
  }

  static boolean isChunked(Map<String, AttributeValue> item) {
    return item.containsKey(CHUNKS);
  }

  static boolean hasBody(Map<String, AttributeValue> item) {
    return item.containsKey(BODY) || item.containsKey(BODY_GZ) || item.containsKey(CHUNKS);
  }

  /** Prefix shared by the chunk items of one write of the owner item {@code ownerSk}. */
  static String chunkPrefix(String ownerSk, String writeId) {
    return ownerSk + "#c#" + writeId + "#";
  }

  static String chunkSk(String ownerSk, String writeId, int n) {
    return chunkPrefix(ownerSk, writeId) + String.format("%04d", n);
  }

  /** The prefix of the chunks {@code owner} references (it must be chunked). */
  static String chunkPrefixOf(String ownerSk, Map<String, AttributeValue> owner) {
    return chunkPrefix(ownerSk, owner.get(WRITE_ID).s());
  }

  /**
   * The body of {@code owner}; {@code chunkItems} are its chunk items in key order (ignored unless
   * the owner is chunked).
   */
  static String decode(String ownerSk, Map<String, AttributeValue> owner, List<Map<String, AttributeValue>> chunkItems) {
    AttributeValue plain = owner.get(BODY);
    if (plain != null) {
      return plain.s();
    }
    AttributeValue gz = owner.get(BODY_GZ);
    if (gz != null) {
      return new String(gunzip(gz.b().asByteArrayUnsafe()), StandardCharsets.UTF_8);
    }
    AttributeValue count = owner.get(CHUNKS);
    if (count == null) {
      throw new IllegalStateException("item " + ownerSk + " has no body");
    }
    int n = Integer.parseInt(count.n());
    if (chunkItems.size() != n) {
      throw new IllegalStateException("item " + ownerSk + " references " + n + " chunks, found " + chunkItems.size());
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream(n * CHUNK_BYTES);
    for (Map<String, AttributeValue> c : chunkItems) {
      all.writeBytes(c.get(DATA).b().asByteArrayUnsafe());
    }
    return new String(gunzip(all.toByteArray()), StandardCharsets.UTF_8);
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] gunzip(byte[] data) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 8192)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt gzip body", e);
    }
  }
}
