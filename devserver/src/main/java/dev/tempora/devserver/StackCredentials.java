package dev.tempora.devserver;

import java.security.SecureRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The embedded stack's credential, made fresh for every start: a random access key id and secret
 * (about 80 and 238 bits). Every client of the stack signs with it, the endpoints refuse any other,
 * and {@code devserver --serve} hands it to the CLI in its state file (mode 0600). Nothing fixed in
 * the source opens the stack.
 */
final class StackCredentials {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private StackCredentials() {}

  /** {@code TMPR} and 16 characters (DynamoDB Local accepts only letters and digits in a key id), and a 40-character secret. */
  static AwsBasicCredentials fresh() {
    return AwsBasicCredentials.create("TMPR" + random(KEY_ALPHABET, 16), random(SECRET_ALPHABET, 40));
  }

  private static String random(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
