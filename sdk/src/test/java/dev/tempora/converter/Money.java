package dev.tempora.converter;

import dev.tempora.history.Payload;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** A type with its own payload converter (text "EUR 12.50"), for the per-type converter tests. */
public record Money(String currency, BigDecimal amount) {
  public static final String ENCODING = "text/money";

  /** Takes only {@link Money}; Jackson takes the rest. Counts what it wrote, to show it ran. */
  public static final class Converter implements PayloadConverter {
    public volatile int written;

    @Override
    public String getEncodingType() {
      return ENCODING;
    }

    @Override
    public Optional<Payload> toData(Object value) {
      if (!(value instanceof Money m)) {
        return Optional.empty();
      }
      written++;
      return Optional.of(Payload.ofBytes((m.currency() + " " + m.amount().toPlainString()).getBytes(StandardCharsets.UTF_8),
          Map.of(Payload.ENCODING, ENCODING)));
    }

    @Override
    public <T> T fromData(Payload content, Class<T> valueType, Type valueGenericType) {
      String[] parts = new String(content.bytes(), StandardCharsets.UTF_8).split(" ");
      return valueType.cast(new Money(parts[0], new BigDecimal(parts[1])));
    }
  }
}
