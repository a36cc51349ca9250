package dev.tempora.converter;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.common.converter.EncodedValues;
import dev.tempora.history.Payload;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dynamic code's arguments read through the worker's converter: its codecs and per-type converters (ADR 20, 22). */
class EncodedValuesTest {
  static final Money PRICE = new Money("EUR", new BigDecimal("12.50"));

  @Test
  void eachPositionIsReadThroughTheCodecsAndItsOwnPayloadConverter() {
    Money.Converter money = new Money.Converter();
    DataConverter converter = new CodecDataConverter(
        DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(money),
        List.of(new AesGcmPayloadCodec(LocalKeyProvider.of("k1", LocalKeyProvider.newKey())), new ZlibPayloadCodec()));
    Payload args = converter.toPayloads("order-7", PRICE, 3, null);
    assertEquals(AesGcmPayloadCodec.ENCODING, args.encoding(), "the control: the arguments are encrypted");

    EncodedValues values = new EncodedValues(args, converter);
    assertEquals(4, values.getSize());
    assertEquals(PRICE, values.get(1, Money.class), "read by the Money converter, not Jackson");
    assertEquals("order-7", values.get(0, String.class));
    assertEquals(3, values.get(2, int.class));
    assertNull(values.get(3, String.class));
    assertEquals(0, values.get(4, int.class), "past the end: a primitive's zero");
  }

  @Test
  void withoutTheConverterTheEncryptedArgumentsAreRefusedByName() {
    DataConverter converter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
        List.of(new AesGcmPayloadCodec(LocalKeyProvider.of("k1", LocalKeyProvider.newKey()))));
    Payload args = converter.toPayloads("secret");
    PayloadDecodingException e = assertThrows(PayloadDecodingException.class,
        () -> EncodedValues.fromPayload(args).get(0, String.class));
    assertTrue(e.getMessage().startsWith("PayloadNotReadable"), e.getMessage());
    DataConverter otherKey = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
        List.of(new AesGcmPayloadCodec(LocalKeyProvider.of("k2", LocalKeyProvider.newKey()))));
    e = assertThrows(PayloadDecodingException.class, () -> new EncodedValues(args, otherKey).getSize());
    assertTrue(e.getMessage().startsWith("EncryptionKeyNotFound"), e.getMessage());
  }

  @Test
  void plainArgumentsReadAsBefore() {
    EncodedValues values = EncodedValues.fromPayload(new Payload("[\"a\",{\"currency\":\"USD\",\"amount\":1}]"));
    assertEquals(2, values.getSize());
    assertEquals(new Money("USD", BigDecimal.ONE), values.get(1, Money.class));
    assertEquals(0, EncodedValues.fromPayload(null).getSize());
  }
}
