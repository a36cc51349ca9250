package dev.tempora.converter.aws;

import dev.tempora.converter.PayloadDecodingException;
import dev.tempora.converter.KeyProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/**
 * Envelope encryption with AWS KMS: a data key from {@code GenerateDataKey} (AES-256) encrypts
 * payloads for {@code dataKeyLifetime}, then a new one is made; a payload's key id is {@code kms:}
 * and the data key as KMS encrypted it (base64), so any process allowed to call {@code Decrypt}
 * on the KMS key reads it, after a KMS rotation too. Decrypted data keys are cached (at most
 * {@code cacheSize}), so replaying a history costs one {@code Decrypt} per data key, not per
 * payload. Plaintext data keys never leave the process.
 *
 * <p>Tested offline against a stand-in {@link KmsClient}; not yet run against real KMS.
 */
public final class KmsKeyProvider implements KeyProvider {
  static final String PREFIX = "kms:";

  private final KmsClient kms;
  private final String kmsKeyId;
  private final Duration dataKeyLifetime;
  private final InstantSource clock;
  private final Map<String, SecretKey> decrypted;
  private DataKey current;
  private Instant currentSince;

  /** {@code kmsKeyId}: the KMS key (id, ARN or alias) that wraps the data keys. */
  public KmsKeyProvider(KmsClient kms, String kmsKeyId) {
    this(kms, kmsKeyId, Duration.ofMinutes(5), InstantSource.system(), 1000);
  }

  public KmsKeyProvider(KmsClient kms, String kmsKeyId, Duration dataKeyLifetime, InstantSource clock, int cacheSize) {
    this.kms = kms;
    this.kmsKeyId = kmsKeyId;
    this.dataKeyLifetime = dataKeyLifetime;
    this.clock = clock;
    this.decrypted = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, SecretKey> eldest) {
        return size() > cacheSize;
      }
    };
  }

  @Override
  public synchronized DataKey currentKey() {
    Instant now = clock.instant();
    if (current == null || !now.isBefore(currentSince.plus(dataKeyLifetime))) {
      GenerateDataKeyResponse r;
      try {
        r = kms.generateDataKey(b -> b.keyId(kmsKeyId).keySpec(DataKeySpec.AES_256));
      } catch (SdkException e) {
        throw new PayloadDecodingException("KmsUnavailable: GenerateDataKey on " + kmsKeyId + " failed: " + e.getMessage(), e);
      }
      String id = PREFIX + Base64.getEncoder().encodeToString(r.ciphertextBlob().asByteArray());
      SecretKey key = new SecretKeySpec(r.plaintext().asByteArray(), "AES");
      current = new DataKey(id, key);
      currentSince = now;
      decrypted.put(id, key);
    }
    return current;
  }

  @Override
  public synchronized SecretKey key(String id) {
    SecretKey cached = decrypted.get(id);
    if (cached != null) {
      return cached;
    }
    if (id == null || !id.startsWith(PREFIX)) {
      throw new PayloadDecodingException("EncryptionKeyNotFound: key id '" + id + "' is not a KMS-wrapped data key");
    }
    byte[] wrapped;
    try {
      wrapped = Base64.getDecoder().decode(id.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new PayloadDecodingException("EncryptionKeyNotFound: key id '" + id + "' is not base64", e);
    }
    DecryptResponse r;
    try {
      r = kms.decrypt(b -> b.keyId(kmsKeyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped)));
    } catch (SdkException e) {
      throw new PayloadDecodingException("EncryptionKeyNotFound: KMS could not decrypt the data key with " + kmsKeyId
          + ": " + e.getMessage(), e);
    }
    SecretKey key = new SecretKeySpec(r.plaintext().asByteArray(), "AES");
    decrypted.put(id, key);
    return key;
  }
}
