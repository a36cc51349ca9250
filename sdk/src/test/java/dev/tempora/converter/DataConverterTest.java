package dev.tempora.converter;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.history.Event;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.HistoryJson;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The converter and codecs without an engine: bytes, per-type converters, compression, encryption, rotation. */
class DataConverterTest {
  record Order(String id, int quantity, Instant at, Optional<String> note) {}

  static final Order ORDER = new Order("o-1", 3, Instant.parse("2026-01-01T00:00:00Z"), Optional.of("gift"));
  static final Type[] ORDER_ARGS = {Order.class, int.class, String.class};

  /** The internal converter over a user's converter, as the workers and client use it. */
  static dev.tempora.internal.converter.DataConverter internal(DataConverter c) {
    return dev.tempora.internal.converter.DataConverter.of(c);
  }

  static CodecDataConverter encrypted(KeyProvider keys) {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(new AesGcmPayloadCodec(keys)));
  }

  @Test
  void theDefaultConverterWritesTheSameBytesAsBeforeConvertersWerePluggable() {
    var builtIn = dev.tempora.internal.converter.DataConverter.get();
    var pluggable = internal(DefaultDataConverter.newDefaultInstance());
    assertNotSame(builtIn, pluggable, "a non-standard instance takes the pluggable path");
    for (Object v : new Object[] {ORDER, null, 42, "text", List.of(1, 2), Map.of("k", 1.5)}) {
      assertEquals(builtIn.toPayload(v), pluggable.toPayload(v));
    }
    Object[] args = {ORDER, 7, null};
    assertEquals(builtIn.toArgsPayload(args), pluggable.toArgsPayload(args));
    assertArrayEquals(builtIn.fromArgsPayload(builtIn.toArgsPayload(args), ORDER_ARGS),
        pluggable.fromArgsPayload(builtIn.toArgsPayload(args), ORDER_ARGS));
    // A plain payload is stored exactly as before: no metadata key in history JSON.
    assertEquals("{\"type\":\"WorkflowExecutionCompleted\",\"result\":{\"json\":\"42\"}}",
        HistoryJson.write(new Event.WorkflowExecutionCompleted(builtIn.toPayload(42))));
  }

  @Test
  void aPayloadWithMetadataSurvivesHistoryJson() {
    Payload p = Payload.ofBytes(new byte[] {1, 2, 3}, Map.of(Payload.ENCODING, "binary/x", "k", "v"));
    Event e = new Event.WorkflowExecutionCompleted(p);
    assertEquals(e, HistoryJson.read(HistoryJson.write(e), Event.class));
    assertArrayEquals(new byte[] {1, 2, 3}, p.bytes());
  }

  @Test
  void aPerTypeConverterTakesItsTypeAndJacksonTheRest() {
    Money.Converter money = new Money.Converter();
    var c = internal(DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(money));
    Money m = new Money("EUR", new BigDecimal("12.50"));
    Payload single = c.toPayload(m);
    assertEquals(Money.ENCODING, single.encoding());
    assertEquals(m, c.fromPayload(single, Money.class));

    Payload args = c.toArgsPayload(new Object[] {"c-7", m, 3});
    assertEquals("json/plain,text/money,json/plain", args.metadata().get(DefaultDataConverter.ARGUMENT_ENCODINGS));
    assertArrayEquals(new Object[] {"c-7", m, 3}, c.fromArgsPayload(args, new Type[] {String.class, Money.class, int.class}));
    assertEquals(2, money.written);
    // Without Money values the arguments are plain JSON, as the default converter writes them.
    assertNull(c.toArgsPayload(new Object[] {"c-7", 3}).metadata());
  }

  @Test
  void zlibShrinksALargePayloadAndLeavesASmallOneAsItIs() {
    var c = internal(new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(new ZlibPayloadCodec())));
    String big = "abcdefgh".repeat(20_000);
    Payload p = c.toArgsPayload(new Object[] {big});
    assertEquals(ZlibPayloadCodec.ENCODING, p.encoding());
    assertTrue(p.sizeBytes() < big.length() / 20, () -> "compressed to " + p.sizeBytes());
    assertEquals(big, c.fromArgsPayload(p, new Type[] {String.class})[0]);
    assertNull(c.toPayload(1).metadata(), "a payload compression would grow stays plain");
  }

  @Test
  void encryptedPayloadsHideThePlaintextAndNameTheirKey() {
    LocalKeyProvider keys = LocalKeyProvider.of("k1", LocalKeyProvider.newKey());
    var c = internal(encrypted(keys));
    Payload p = c.toArgsPayload(new Object[] {ORDER, 7, "secret-note"});
    assertFalse(p.json().contains("secret-note") || p.json().contains("o-1"), p.json());
    assertEquals(AesGcmPayloadCodec.ENCODING, p.encoding());
    assertEquals("k1", p.metadata().get(AesGcmPayloadCodec.METADATA_KEY_ID));
    assertArrayEquals(new Object[] {ORDER, 7, "secret-note"}, c.fromArgsPayload(p, ORDER_ARGS));
    assertNotEquals(p, c.toArgsPayload(new Object[] {ORDER, 7, "secret-note"}), "a fresh nonce every time");
  }

  @Test
  void withoutTheKeyAnEncryptedPayloadIsRefusedByName() {
    Payload p = internal(encrypted(LocalKeyProvider.of("k1", LocalKeyProvider.newKey()))).toPayload("secret");
    var otherKeys = internal(encrypted(LocalKeyProvider.of("k9", LocalKeyProvider.newKey())));
    DataConverterException e = assertThrows(DataConverterException.class, () -> otherKeys.fromPayload(p, String.class));
    assertTrue(e.getMessage().startsWith("EncryptionKeyNotFound"), e.getMessage());
    var sameIdOtherKey = internal(encrypted(LocalKeyProvider.of("k1", LocalKeyProvider.newKey())));
    e = assertThrows(DataConverterException.class, () -> sameIdOtherKey.fromPayload(p, String.class));
    assertTrue(e.getMessage().startsWith("DecryptionFailed"), e.getMessage());
    e = assertThrows(DataConverterException.class,
        () -> dev.tempora.internal.converter.DataConverter.get().fromPayload(p, String.class));
    assertTrue(e.getMessage().startsWith("PayloadNotReadable"), e.getMessage());
  }

  @Test
  void aPayloadAlteredOrRelabelledUnderAnotherKeyIdDoesNotDecrypt() {
    byte[] k = LocalKeyProvider.newKey();
    LocalKeyProvider keys = LocalKeyProvider.of("k1", k).withCurrentKey("k2", k); // same bytes, two ids
    var c = internal(encrypted(keys));
    Payload p = c.toPayload("secret");
    Map<String, String> relabelled = new java.util.HashMap<>(p.metadata());
    relabelled.put(AesGcmPayloadCodec.METADATA_KEY_ID, "k1");
    DataConverterException e = assertThrows(DataConverterException.class,
        () -> c.fromPayload(new Payload(p.json(), relabelled), String.class));
    assertTrue(e.getMessage().startsWith("DecryptionFailed"), e.getMessage());
  }

  @Test
  void oldPayloadsDecodeAfterACodecIsTurnedOnAndAfterAKeyRotation() {
    Payload plain = internal(DefaultDataConverter.newDefaultInstance()).toPayload(ORDER);
    LocalKeyProvider k1 = LocalKeyProvider.of("k1", LocalKeyProvider.newKey());
    var before = internal(new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
        List.of(new AesGcmPayloadCodec(k1))));
    Payload underK1 = before.toPayload(ORDER);

    LocalKeyProvider rotated = k1.withCurrentKey("k2", LocalKeyProvider.newKey());
    var after = internal(new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
        List.of(new AesGcmPayloadCodec(rotated), new ZlibPayloadCodec())));
    Payload underK2 = after.toPayload(ORDER);
    assertEquals("k2", underK2.metadata().get(AesGcmPayloadCodec.METADATA_KEY_ID));
    for (Payload p : List.of(plain, underK1, underK2)) {
      assertEquals(ORDER, after.fromPayload(p, Order.class), p::toString);
    }
  }

  @Test
  void encryptionOverCompressionRoundTrips() {
    var c = internal(new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
        List.of(new AesGcmPayloadCodec(LocalKeyProvider.of("k1", LocalKeyProvider.newKey())), new ZlibPayloadCodec())));
    String big = "row,".repeat(50_000);
    Payload p = c.toPayload(big);
    assertEquals(AesGcmPayloadCodec.ENCODING, p.encoding());
    assertTrue(p.sizeBytes() < big.length() / 10, () -> "compressed before encryption: " + p.sizeBytes());
    assertEquals(big, c.fromPayload(p, String.class));
  }

  @Test
  void aRotatedKeyNeedsANewId() {
    LocalKeyProvider k1 = LocalKeyProvider.of("k1", LocalKeyProvider.newKey());
    assertThrows(IllegalArgumentException.class, () -> k1.withCurrentKey("k1", LocalKeyProvider.newKey()));
  }
}
