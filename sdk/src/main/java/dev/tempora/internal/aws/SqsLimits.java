package dev.tempora.internal.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * SQS limits the adapters enforce before sending (so a violation is a named error here, not an
 * opaque service error later), and the deterministic ids they derive.
 */
final class SqsLimits {
  /** Largest message (body plus attributes), and largest SendMessageBatch payload: 1 MiB. */
  static final int MAX_MESSAGE_BYTES = 1_048_576;
  static final int MAX_BATCH_ENTRIES = 10;
  /** Largest per-message DelaySeconds: 15 minutes. */
  static final int MAX_DELAY_SECONDS = 900;
  /** MessageGroupId / MessageDeduplicationId: up to 128 characters of this set. */
  private static final int MAX_ID_LENGTH = 128;
  private static final String ID_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private SqsLimits() {}

  /** Delay rounded up to whole seconds (never early), clamped to 0..900. */
  static int delaySeconds(Duration delay) {
    if (delay.isNegative() || delay.isZero()) {
      return 0;
    }
    long millis = delay.toMillis();
    long seconds = (millis + 999) / 1000;
    return (int) Math.min(MAX_DELAY_SECONDS, seconds);
  }

  /** Size as SQS counts it: UTF-8 body plus each attribute's name, type and value. */
  static long messageBytes(String body, Map<String, MessageAttributeValue> attributes) {
    long size = utf8Length(body);
    if (attributes != null) {
      for (Map.Entry<String, MessageAttributeValue> e : attributes.entrySet()) {
        MessageAttributeValue v = e.getValue();
        size += utf8Length(e.getKey()) + utf8Length(v.dataType());
        if (v.stringValue() != null) {
          size += utf8Length(v.stringValue());
        }
        if (v.binaryValue() != null) {
          size += v.binaryValue().asByteArray().length;
        }
      }
    }
    return size;
  }

  static long utf8Length(String s) {
    if (s == null) {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  static void checkSize(String queue, String what, String body, Map<String, MessageAttributeValue> attributes) {
    long size = messageBytes(body, attributes);
    if (size > MAX_MESSAGE_BYTES) {
      throw new SqsMessageTooLargeException(queue, what, size);
    }
  }

  /**
   * The JSON text with every character SQS refuses in a message body written as a JSON unicode
   * escape (backslash, u, four hex digits).
   * SQS accepts only #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD and #x10000-#x10FFFF; a payload
   * string holding U+FFFE, U+FFFF or a lone surrogate would otherwise be rejected on every retry.
   * In JSON such characters can only stand inside strings (the rest are escaped by the encoder
   * already), where the escape means the same character, so decoding gives the same value.
   */
  static String sqsSafeJson(String json) {
    StringBuilder out = null;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1));
      boolean allowed = pair || c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
          || (c >= 0xE000 && c <= 0xFFFD);
      if (!allowed && out == null) {
        out = new StringBuilder(json.length() + 16).append(json, 0, i);
      }
      if (out != null) {
        if (allowed) {
          out.append(c);
          if (pair) {
            out.append(json.charAt(i + 1));
          }
        } else {
          out.append(String.format("\\u%04X", (int) c));
        }
      }
      if (pair) {
        i++;
      }
    }
    return out == null ? json : out.toString();
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The FIFO group of a workflow: its key as is when SQS accepts it (readable in the console),
   * else a hash of it, so every workflow id (any length, any characters) keeps one group.
   */
  static String groupId(String workflowKey) {
    return isValidId(workflowKey) ? workflowKey : "h-" + sha256Hex(workflowKey);
  }

  /** 64 hex characters: always valid, and the same for the same message id. */
  static String deduplicationId(String messageId) {
    return sha256Hex(messageId);
  }

  static boolean isValidId(String id) {
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || ID_PUNCTUATION.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
