package dev.tempora.converter;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES keys held in the process (from a secret store, an environment variable, a test), by id. The
 * current key encrypts; every key decrypts what names it. To rotate: a provider with a new current
 * key and the old keys kept ({@link #withCurrentKey}).
 */
public final class LocalKeyProvider implements KeyProvider {
  private final DataKey current;
  private final Map<String, SecretKey> keys;

  private LocalKeyProvider(DataKey current, Map<String, SecretKey> keys) {
    this.current = current;
    this.keys = Map.copyOf(keys);
  }

  /** One key, which is the current one. {@code key}: 16, 24 or 32 bytes (AES-128/192/256). */
  public static LocalKeyProvider of(String id, byte[] key) {
    return new LocalKeyProvider(new DataKey(id, aes(key)), Map.of(id, aes(key)));
  }

  /** This provider's keys plus {@code key} as the current one (the old ones still decrypt). */
  public LocalKeyProvider withCurrentKey(String id, byte[] key) {
    if (keys.containsKey(id)) {
      throw new IllegalArgumentException("key id '" + id + "' is taken: a rotated key needs a new id");
    }
    Map<String, SecretKey> all = new LinkedHashMap<>(keys);
    all.put(id, aes(key));
    return new LocalKeyProvider(new DataKey(id, aes(key)), all);
  }

  /** 32 random bytes for a new AES-256 key. */
  public static byte[] newKey() {
    try {
      KeyGenerator g = KeyGenerator.getInstance("AES");
      g.init(256, new SecureRandom());
      return g.generateKey().getEncoded();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no AES", e);
    }
  }

  @Override
  public DataKey currentKey() {
    return current;
  }

  @Override
  public SecretKey key(String id) {
    SecretKey k = keys.get(id);
    if (k == null) {
      throw new PayloadDecodingException("EncryptionKeyNotFound: no key '" + id + "' in this key provider (keys: "
          + String.join(", ", keys.keySet()) + ")");
    }
    return k;
  }

  private static SecretKey aes(byte[] key) {
    if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
      throw new IllegalArgumentException("an AES key has 16, 24 or 32 bytes");
    }
    return new SecretKeySpec(key, "AES");
  }
}
