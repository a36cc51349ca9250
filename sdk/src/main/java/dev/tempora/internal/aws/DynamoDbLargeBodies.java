package dev.tempora.internal.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.internal.converter.DataConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Large message bodies in the Tempora table, next to the workflow they belong to: gzipped, in
 * chunk items under the DynamoDB item limit ({@code pk = <workflow key>}, {@code sk =
 * msg#<sha256>#<n>}), expiring after {@code retention}. Content-addressed, so a re-sent message
 * rewrites the same items. Bodies up to {@link #INLINE_LIMIT} bytes stay inline: an SQS batch of
 * several still fits the 1 MiB request limit.
 */
public final class DynamoDbLargeBodies implements LargeBodies {
  public static final int INLINE_LIMIT = 240 * 1024;
  private static final int CHUNK_BYTES = 300 * 1024;
  private static final String REF = "$temporaRef";
  private static final ObjectMapper JSON = DataConverter.get().mapper();

  private final DynamoDbClient client;
  private final String table;
  private final Duration retention;
  private final Clock wallClock;
  private final Runnable byReference;

  /** How long a large body is kept by default: longer than any queue keeps the message naming it. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(14);

  public DynamoDbLargeBodies(DynamoDbClient client, String table) {
    this(client, table, DEFAULT_RETENTION, Clock.systemUTC());
  }

  public DynamoDbLargeBodies(DynamoDbClient client, String table, Duration retention, Clock wallClock) {
    this(client, table, retention, wallClock, () -> { });
  }

  /** {@code byReference} counts the bodies sent by reference (the PayloadsByReference metric). */
  public DynamoDbLargeBodies(DynamoDbClient client, String table, Duration retention, Clock wallClock,
      Runnable byReference) {
    this.byReference = byReference;
    this.client = client;
    this.table = table;
    this.retention = retention;
    this.wallClock = wallClock;
  }

  @Override
  public String outgoing(String partitionKey, String body) {
    byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= INLINE_LIMIT) {
      return body;
    }
    String id = SqsLimits.sha256Hex(body);
    byte[] gz = ItemBody.gzip(utf8);
    int chunks = (gz.length + CHUNK_BYTES - 1) / CHUNK_BYTES;
    String ttl = Long.toString(wallClock.instant().plus(retention).getEpochSecond());
    for (int n = 0; n < chunks; n++) {
      byte[] part = Arrays.copyOfRange(gz, n * CHUNK_BYTES, Math.min(gz.length, (n + 1) * CHUNK_BYTES));
      String sk = "msg#" + id + "#" + n;
      client.putItem(b -> b.tableName(table).item(Map.of(
          TemporaTable.PK, AttributeValue.fromS(partitionKey),
          TemporaTable.SK, AttributeValue.fromS(sk),
          "data", AttributeValue.fromB(SdkBytes.fromByteArray(part)),
          TemporaTable.TTL, AttributeValue.fromN(ttl))));
    }
    byReference.run();
    ObjectNode ref = JSON.createObjectNode();
    ref.putObject(REF).put("pk", partitionKey).put("id", id).put("chunks", chunks).put("bytes", utf8.length);
    return ref.toString();
  }

  @Override
  public String incoming(String body) {
    if (!body.startsWith("{\"" + REF + "\"")) {
      return body;
    }
    JsonNode ref;
    try {
      ref = JSON.readTree(body).get(REF);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable message reference: " + body, e);
    }
    String pk = ref.get("pk").asText();
    String id = ref.get("id").asText();
    int chunks = ref.get("chunks").asInt();
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    for (int n = 0; n < chunks; n++) {
      String sk = "msg#" + id + "#" + n;
      Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).consistentRead(true)
          .key(Map.of(TemporaTable.PK, AttributeValue.fromS(pk), TemporaTable.SK, AttributeValue.fromS(sk)))).item();
      if (item == null || !item.containsKey("data")) {
        throw new IllegalStateException("message body " + id + " chunk " + n + " is missing (expired after "
            + retention + "?)");
      }
      gz.writeBytes(item.get("data").b().asByteArray());
    }
    return new String(ItemBody.gunzip(gz.toByteArray()), StandardCharsets.UTF_8);
  }
}
