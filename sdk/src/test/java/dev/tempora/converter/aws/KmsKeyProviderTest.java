package dev.tempora.converter.aws;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.converter.AesGcmPayloadCodec;
import dev.tempora.converter.CodecDataConverter;
import dev.tempora.converter.DataConverter;
import dev.tempora.converter.DataConverterException;
import dev.tempora.converter.DefaultDataConverter;
import dev.tempora.history.Payload;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * The KMS provider's envelope logic offline, against a stand-in for KMS's GenerateDataKey and
 * Decrypt (data keys wrapped with AES-GCM under the stand-in's master key). Real KMS is not used.
 */
class KmsKeyProviderTest {
  /** KMS as far as the provider uses it; counts the calls. */
  static final class StandInKms implements KmsClient {
    final byte[] master = new byte[32];
    final AtomicInteger generated = new AtomicInteger();
    final AtomicInteger decrypted = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    StandInKms() {
      random.nextBytes(master);
    }

    @Override
    public GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest r) {
      generated.incrementAndGet();
      byte[] key = new byte[32];
      random.nextBytes(key);
      byte[] nonce = new byte[12];
      random.nextBytes(nonce);
      byte[] wrapped = crypt(Cipher.ENCRYPT_MODE, nonce, key, r.keyId());
      byte[] blob = new byte[12 + wrapped.length];
      System.arraycopy(nonce, 0, blob, 0, 12);
      System.arraycopy(wrapped, 0, blob, 12, wrapped.length);
      return GenerateDataKeyResponse.builder().keyId(r.keyId()).plaintext(SdkBytes.fromByteArray(key))
          .ciphertextBlob(SdkBytes.fromByteArray(blob)).build();
    }

    @Override
    public DecryptResponse decrypt(DecryptRequest r) {
      decrypted.incrementAndGet();
      byte[] blob = r.ciphertextBlob().asByteArray();
      try {
        byte[] key = crypt(Cipher.DECRYPT_MODE, Arrays.copyOf(blob, 12), Arrays.copyOfRange(blob, 12, blob.length), r.keyId());
        return DecryptResponse.builder().keyId(r.keyId()).plaintext(SdkBytes.fromByteArray(key)).build();
      } catch (IllegalStateException e) {
        throw InvalidCiphertextException.builder().message("the ciphertext does not decrypt").build();
      }
    }

    private byte[] crypt(int mode, byte[] nonce, byte[] data, String keyId) {
      try {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(keyId.getBytes());
        return c.doFinal(data);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String serviceName() {
      return "kms";
    }

    @Override
    public void close() {}
  }

  static DataConverter converter(KmsKeyProvider keys) {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(new AesGcmPayloadCodec(keys)));
  }

  @Test
  void oneDataKeyPerLifetimeAndAnotherProcessDecryptsWithOneKmsCall() {
    StandInKms kms = new StandInKms();
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    InstantSource clock = now::get;
    DataConverter writer = converter(new KmsKeyProvider(kms, "alias/tempora", Duration.ofMinutes(5), clock, 100));
    Payload a = writer.toPayload("secret-a");
    Payload b = writer.toPayload("secret-b");
    assertEquals(1, kms.generated.get(), "one data key within its lifetime");
    assertEquals(a.metadata().get(AesGcmPayloadCodec.METADATA_KEY_ID), b.metadata().get(AesGcmPayloadCodec.METADATA_KEY_ID));
    assertTrue(a.metadata().get(AesGcmPayloadCodec.METADATA_KEY_ID).startsWith("kms:"));

    now.set(now.get().plus(Duration.ofMinutes(6)));
    Payload c = writer.toPayload("secret-c");
    assertEquals(2, kms.generated.get(), "a new data key after the lifetime");
    assertNotEquals(a.metadata().get(AesGcmPayloadCodec.METADATA_KEY_ID), c.metadata().get(AesGcmPayloadCodec.METADATA_KEY_ID));

    DataConverter reader = converter(new KmsKeyProvider(kms, "alias/tempora", Duration.ofMinutes(5), clock, 100));
    assertEquals("secret-a", reader.fromPayload(a, String.class, String.class));
    assertEquals("secret-b", reader.fromPayload(b, String.class, String.class));
    assertEquals("secret-c", reader.fromPayload(c, String.class, String.class));
    assertEquals(2, kms.decrypted.get(), "one Decrypt per data key, the rest from the cache");
  }

  @Test
  void anotherKmsKeyCannotUnwrapTheDataKey() {
    StandInKms kms = new StandInKms();
    Payload p = converter(new KmsKeyProvider(kms, "alias/tempora")).toPayload("secret");
    DataConverter otherAccount = converter(new KmsKeyProvider(new StandInKms(), "alias/tempora"));
    DataConverterException e = assertThrows(DataConverterException.class,
        () -> otherAccount.fromPayload(p, String.class, String.class));
    assertTrue(e.getMessage().startsWith("EncryptionKeyNotFound"), e.getMessage());
  }
}
