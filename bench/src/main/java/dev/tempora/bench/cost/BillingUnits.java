package dev.tempora.bench.cost;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * How AWS turns a call into billed units: DynamoDB request units from item sizes, SQS requests
 * from payload sizes. Used where the emulator does not report consumed capacity, and unit-tested
 * on its own.
 */
public final class BillingUnits {
  private BillingUnits() {}

  /** DynamoDB bills writes per started 1 KB of item size. */
  public static final int WRITE_UNIT_BYTES = 1024;
  /** DynamoDB bills strongly consistent reads per started 4 KB. */
  public static final int READ_UNIT_BYTES = 4096;
  /** SQS bills each started 64 KB of a request's payload as one request. */
  public static final int SQS_CHUNK_BYTES = 64 * 1024;

  /** Write request units of writing one item of this size (at least 1); a transactional write costs twice. */
  public static double writeUnits(long itemBytes, boolean transactional) {
    long units = Math.max(1, ceilDiv(itemBytes, WRITE_UNIT_BYTES));
    return transactional ? 2.0 * units : units;
  }

  /**
   * Read request units of reading this many bytes in one go: a GetItem's item, or the summed items
   * of a Query page (DynamoDB rounds the sum, not each item). Eventually consistent reads cost half.
   */
  public static double readUnits(long bytes, boolean consistent) {
    long units = Math.max(1, ceilDiv(bytes, READ_UNIT_BYTES));
    return consistent ? units : units / 2.0;
  }

  /** Billed SQS requests of one API call carrying this payload (a batch is billed on its total). */
  public static long sqsRequests(long payloadBytes) {
    return Math.max(1, ceilDiv(payloadBytes, SQS_CHUNK_BYTES));
  }

  /** The size DynamoDB bills for an item: attribute names plus values, by DynamoDB's sizing rules. */
  public static long itemBytes(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      size += utf8(e.getKey()) + valueBytes(e.getValue());
    }
    return size;
  }

  /**
   * Strings and binaries by length; numbers about one byte per two significant digits plus one;
   * booleans and nulls one byte; lists and maps 3 bytes plus one per element plus the elements.
   */
  static long valueBytes(AttributeValue v) {
    if (v.s() != null) return utf8(v.s());
    if (v.n() != null) return numberBytes(v.n());
    if (v.b() != null) return v.b().asByteArray().length;
    if (v.bool() != null || Boolean.TRUE.equals(v.nul())) return 1;
    if (v.hasSs()) return v.ss().stream().mapToLong(BillingUnits::utf8).sum();
    if (v.hasNs()) return v.ns().stream().mapToLong(BillingUnits::numberBytes).sum();
    if (v.hasBs()) return v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
    if (v.hasL()) {
      List<AttributeValue> l = v.l();
      return 3 + l.size() + l.stream().mapToLong(BillingUnits::valueBytes).sum();
    }
    if (v.hasM()) {
      return 3 + v.m().size() + itemBytes(v.m());
    }
    return 0;
  }

  static long numberBytes(String n) {
    long digits = n.chars().filter(Character::isDigit).count();
    return (digits + 1) / 2 + 1;
  }

  /** SQS payload of one message: body plus message attributes (name, type and value), as SQS sizes it. */
  public static long sqsMessageBytes(String body, Map<String, MessageAttributeValue> attributes) {
    long size = utf8(body);
    for (Map.Entry<String, MessageAttributeValue> e : attributes.entrySet()) {
      MessageAttributeValue a = e.getValue();
      size += utf8(e.getKey()) + utf8(a.dataType());
      if (a.stringValue() != null) size += utf8(a.stringValue());
      if (a.binaryValue() != null) size += a.binaryValue().asByteArray().length;
    }
    return size;
  }

  static long utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static long ceilDiv(long a, long b) {
    return Math.ceilDiv(a, b);
  }
}
