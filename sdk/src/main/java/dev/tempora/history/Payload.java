package dev.tempora.history;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A value as the data converter encoded it. {@code json} is always JSON text: the value's JSON
 * for the default (Jackson) encoding, whose {@code metadata} is null; otherwise a JSON string of
 * the payload's bytes in base64, and {@code metadata} says how to read them ({@code encoding}, and
 * for a codec's payload which codec and key made it). A payload without metadata is stored exactly
 * as before payload codecs existed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Payload(String json, Map<String, String> metadata) {
  public static final Payload NULL = new Payload("null");
  /** The encoding a payload without metadata has. */
  public static final String JSON_PLAIN = "json/plain";
  public static final String ENCODING = "encoding";

  public Payload(String json) {
    this(json, null);
  }

  public Payload {
    metadata = metadata == null || metadata.isEmpty() ? null : Map.copyOf(metadata);
  }

  /** A payload of raw bytes (a codec's or a non-JSON converter's); {@code metadata} names its encoding. */
  public static Payload ofBytes(byte[] data, Map<String, String> metadata) {
    if (metadata == null || !metadata.containsKey(ENCODING)) {
      throw new IllegalArgumentException("a binary payload needs an '" + ENCODING + "' metadata entry");
    }
    return new Payload("\"" + Base64.getEncoder().encodeToString(data) + "\"", metadata);
  }

  /** {@code json/plain} when there is no metadata, else the metadata's {@code encoding}. */
  @JsonIgnore
  public String encoding() {
    return metadata == null ? JSON_PLAIN : metadata.getOrDefault(ENCODING, JSON_PLAIN);
  }

  /** The payload's bytes: the JSON text's UTF-8 for a plain payload, the decoded base64 otherwise. */
  @JsonIgnore
  public byte[] bytes() {
    if (metadata == null) {
      return json.getBytes(StandardCharsets.UTF_8);
    }
    return Base64.getDecoder().decode(json.substring(1, json.length() - 1));
  }

  public int sizeBytes() {
    return json.length();
  }

  @Override
  public String toString() {
    if (metadata != null) {
      return "<" + encoding() + ", " + json.length() + " chars>";
    }
    return json.length() <= 80 ? json : json.substring(0, 77) + "...";
  }
}
