package dev.tempora.converter;

import dev.tempora.history.Payload;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts payloads with AES-GCM (javax.crypto). An encrypted payload's metadata names the cipher
 * and the key id ({@code encryption-key-id}); its bytes are a 12-byte random nonce and the
 * ciphertext with its 16-byte tag. The key id is authenticated with the data, so a payload
 * cannot be passed off as encrypted under another key. Payloads without this encoding (written
 * before encryption was turned on) decode unchanged.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  public static final String ENCODING = "binary/encrypted";
  public static final String CIPHER = "AES/GCM/NoPadding";
  public static final String METADATA_CIPHER = "encryption-cipher";
  public static final String METADATA_KEY_ID = "encryption-key-id";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final KeyProvider keys;
  private final SecureRandom random = new SecureRandom();

  public AesGcmPayloadCodec(KeyProvider keys) {
    this.keys = keys;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    KeyProvider.DataKey key = keys.currentKey();
    return payloads.stream().map(p -> encrypt(p, key)).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload p, KeyProvider.DataKey key) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance(CIPHER);
      c.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(key.id().getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(PayloadFrame.toBytes(p));
      byte[] data = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
      return Payload.ofBytes(data, Map.of(Payload.ENCODING, ENCODING, METADATA_CIPHER, CIPHER, METADATA_KEY_ID, key.id()));
    } catch (GeneralSecurityException e) {
      throw new DataConverterException("EncryptionFailed: " + e.getMessage(), e);
    }
  }

  private Payload decrypt(Payload p) {
    if (!ENCODING.equals(p.encoding())) {
      return p;
    }
    String keyId = p.metadata().get(METADATA_KEY_ID);
    String cipher = p.metadata().get(METADATA_CIPHER);
    if (keyId == null || !CIPHER.equals(cipher)) {
      throw new PayloadDecodingException("PayloadCorrupt: an encrypted payload names cipher " + cipher + " and key "
          + keyId + "; this codec reads " + CIPHER + " with a key id");
    }
    SecretKey key = keys.key(keyId);
    byte[] data = p.bytes();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadDecodingException("PayloadCorrupt: an encrypted payload is shorter than its nonce and tag");
    }
    try {
      Cipher c = Cipher.getInstance(CIPHER);
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      c.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      return PayloadFrame.fromBytes(c.doFinal(Arrays.copyOfRange(data, NONCE_BYTES, data.length)));
    } catch (AEADBadTagException e) {
      throw new PayloadDecodingException("DecryptionFailed: the payload does not authenticate under key '" + keyId
          + "' (wrong key or altered data)", e);
    } catch (GeneralSecurityException e) {
      throw new PayloadDecodingException("DecryptionFailed: " + e.getMessage(), e);
    }
  }
}
