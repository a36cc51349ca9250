package dev.tempora.converter;

import javax.crypto.SecretKey;

/**
 * The keys of an {@link AesGcmPayloadCodec}: the one new payloads are encrypted with, and any key a
 * stored payload names by id. Rotating keys means a new current key while the old ones stay
 * findable by id, so payloads written before the rotation still decrypt.
 */
public interface KeyProvider {
  /** A key and the id stored beside what it encrypted. */
  record DataKey(String id, SecretKey key) {
    public DataKey {
      if (id == null || id.isEmpty() || key == null) {
        throw new IllegalArgumentException("a data key needs an id and a key");
      }
    }

    @Override
    public String toString() {
      return "DataKey[" + id + "]"; // never the key material
    }
  }

  /** The key to encrypt with now. */
  DataKey currentKey();

  /**
   * The key a payload was encrypted with.
   *
   * @throws DataConverterException named {@code EncryptionKeyNotFound} if the provider does not have it
   */
  SecretKey key(String id);
}
