package dev.tempora.internal.completion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.client.ActivityCompletionFailureException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes and checks task tokens: {@code tt1.<payload>.<mac>}, the payload the JSON of a {@link
 * TaskToken} and the MAC its HMAC-SHA256 under a key only the engine holds (base64url, no
 * padding). A token cannot be made for another run, activity or attempt without the key; what a
 * valid token names is then checked against history and the attempt's state.
 */
public final class TaskTokens {
  public static final String INVALID = "InvalidTaskToken";
  /** Environment variable with the key (base64, at least 32 bytes) on AWS. */
  public static final String KEY_VARIABLE = "TEMPORA_TASK_TOKEN_KEY";
  private static final String PREFIX = "tt1.";
  private static final String ALGORITHM = "HmacSHA256";
  private static final int MIN_KEY_BYTES = 32;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

  private final Supplier<byte[]> keySource;
  private volatile SecretKeySpec key;

  public TaskTokens(byte[] key) {
    this(checked(key.clone()));
  }

  /** A key read when first needed (from the table, on AWS), then kept. */
  public TaskTokens(Supplier<byte[]> keySource) {
    this.keySource = Objects.requireNonNull(keySource);
  }

  private static Supplier<byte[]> checked(byte[] key) {
    if (Objects.requireNonNull(key).length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("a task token key needs at least " + MIN_KEY_BYTES + " bytes");
    }
    return () -> key;
  }

  private SecretKeySpec key() {
    SecretKeySpec k = key;
    if (k == null) {
      byte[] bytes = keySource.get();
      if (bytes == null || bytes.length < MIN_KEY_BYTES) {
        throw new IllegalStateException("the task token key has fewer than " + MIN_KEY_BYTES + " bytes");
      }
      key = k = new SecretKeySpec(bytes, ALGORITHM);
    }
    return k;
  }

  /** A new random key's bytes. */
  public static byte[] newKey() {
    byte[] k = new byte[MIN_KEY_BYTES];
    new SecureRandom().nextBytes(k);
    return k;
  }

  /** A random key: for an engine whose tokens never leave its process (the in-memory one). */
  public static TaskTokens random() {
    return new TaskTokens(newKey());
  }

  /** The key from its base64 text (standard or url alphabet). */
  public static TaskTokens fromBase64(String encoded) {
    String s = encoded.trim();
    byte[] k = s.contains("-") || s.contains("_") ? DECODE.decode(s) : Base64.getDecoder().decode(s);
    return new TaskTokens(k);
  }

  public byte[] sign(TaskToken t) {
    try {
      String payload = ENCODE.encodeToString(JSON.writeValueAsBytes(t));
      return (PREFIX + payload + "." + ENCODE.encodeToString(mac(payload))).getBytes(StandardCharsets.US_ASCII);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a token names, if this engine signed it.
   *
   * @throws ActivityCompletionFailureException {@code InvalidTaskToken}: malformed, altered or
   *     signed with another key
   */
  public TaskToken verify(byte[] token) {
    if (token == null || token.length == 0 || token.length > 4096) {
      throw invalid("the task token is empty or too long");
    }
    String s = new String(token, StandardCharsets.US_ASCII);
    int dot = s.lastIndexOf('.');
    if (!s.startsWith(PREFIX) || dot <= PREFIX.length()) {
      throw invalid("the task token is not one this engine makes");
    }
    String payload = s.substring(PREFIX.length(), dot);
    byte[] given;
    try {
      given = DECODE.decode(s.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw invalid("the task token's signature is not base64url");
    }
    if (!MessageDigest.isEqual(given, mac(payload))) {
      throw invalid("the task token's signature does not match (altered, or made by another engine)");
    }
    try {
      TaskToken t = JSON.readValue(DECODE.decode(payload), TaskToken.class);
      if (t.namespace() == null || t.workflowId() == null || t.runId() == null || t.attempt() < 1) {
        throw invalid("the task token is incomplete");
      }
      return t;
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw invalid("the task token's payload cannot be read");
    }
  }

  private byte[] mac(String payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key());
      return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ActivityCompletionFailureException invalid(String message) {
    return new ActivityCompletionFailureException(INVALID, message);
  }
}
