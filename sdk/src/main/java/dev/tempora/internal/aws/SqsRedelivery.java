package dev.tempora.internal.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempora.internal.converter.DataConverter;
import java.time.Duration;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What a queue consumer does to a received message besides reporting it failed: hide it for a
 * while (a retry backoff, so a transient error does not burn receives in seconds) or move it to the
 * queue's DLQ itself (bytes that can never be decoded; nothing else goes there). The DLQ is the
 * one named by the source queue's redrive policy, read once per queue.
 *
 * <p>A standard queue's consumer may also {@link #handBack} a message that is running out of
 * receives: a fresh copy (receive count 0) goes to the queue and the original is deleted, so a
 * decodable message is never dead-lettered by its receive count. Receives are also spent where the
 * consumer never sees them (a receive whose response was lost, a visibility timeout that ran out
 * while the function was busy or throttled), so counting only the failures it saw is not enough.
 */
public final class SqsRedelivery {
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final SqsClient sqs;
  private final UnaryOperator<String> queueUrlByName;
  /** Message attribute of a handed-back copy: the delivery id of the first copy (attempt claims are keyed by it). */
  public static final String DELIVERY_ID = "temporaDeliveryId";
  /** Message attribute of a handed-back copy: the receives spent by the copies before it (backoff keeps growing). */
  public static final String EARLIER_RECEIVES = "temporaEarlierReceives";

  /** A queue's redrive policy: its DLQ (null: none) and maxReceiveCount (MAX_VALUE: none). */
  private record Redrive(String dlqUrl, int maxReceiveCount) {}

  private final Map<String, Redrive> redriveByQueueUrl = new ConcurrentHashMap<>();

  public SqsRedelivery(SqsClient sqs, UnaryOperator<String> queueUrlByName) {
    this.sqs = sqs;
    this.queueUrlByName = queueUrlByName;
  }

  /** How long a message that failed on its {@code receives}th delivery waits: 5 s doubling to 5 minutes. */
  public static Duration backoff(int receives) {
    Duration d = FIRST_BACKOFF.multipliedBy(1L << Math.min(Math.max(receives - 1, 0), 10));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /** Hides a failed message for {@link #backoff}; best effort (the queue's visibility timeout is the fallback). */
  public void backOff(String sourceQueueArn, String receiptHandle, int receives) {
    try {
      hide(sourceQueueArn, receiptHandle, backoff(receives));
    } catch (RuntimeException e) {
      // The visibility timeout still brings it back.
    }
  }

  /** The receive count SQS reports for a message (1 if absent). */
  public static int receiveCount(Map<String, String> attributes) {
    String n = attributes == null ? null : attributes.get("ApproximateReceiveCount");
    try {
      return n == null ? 1 : Integer.parseInt(n);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** Keeps the message hidden for {@code delay} (at most SQS's 12 hours) before its next delivery. */
  public void hide(String sourceQueueArn, String receiptHandle, Duration delay) {
    int seconds = (int) Math.min(Math.max(0, delay.toSeconds()), 43_200);
    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl(sourceQueueArn)).receiptHandle(receiptHandle)
        .visibilityTimeout(seconds));
  }

  /**
   * Sends the message's body to the source queue's DLQ (same group on FIFO, deduplicated by the
   * message id); the caller then lets the source delete it.
   */
  public void deadLetter(String sourceQueueArn, String messageId, String body, String groupId) {
    String dlq = dlqUrl(queueUrl(sourceQueueArn));
    boolean fifo = dlq.endsWith(".fifo");
    sqs.sendMessage(b -> {
      b.queueUrl(dlq).messageBody(body);
      if (fifo) {
        b.messageGroupId(groupId == null ? "undecodable" : groupId).messageDeduplicationId(messageId);
      }
    });
  }

  /** The source queue's maxReceiveCount (its redrive policy, read once), or MAX_VALUE if it has none. */
  public int maxReceiveCount(String sourceQueueArn) {
    return redrive(queueUrl(sourceQueueArn)).maxReceiveCount();
  }

  /**
   * Sends a fresh copy of a received message (same body and message attributes, plus
   * {@code attributes}) to its queue, delivered after {@code delay} (at most 900 s); the caller
   * then lets the source delete the original. Only for standard queues (a FIFO copy would need a
   * new deduplication id and would jump its group's order).
   */
  public void handBack(String sourceQueueArn, String body, Map<String, MessageAttributeValue> attributes,
      Duration delay, String traceHeader) {
    Map<String, MessageAttributeValue> copy = new HashMap<>(attributes);
    sqs.sendMessage(b -> b.queueUrl(queueUrl(sourceQueueArn)).messageBody(body)
        .delaySeconds(SqsLimits.delaySeconds(delay)).messageAttributes(copy)
        .messageSystemAttributes(SqsTrace.of(traceHeader)));
  }

  private String queueUrl(String arn) {
    return queueUrlByName.apply(arn.substring(arn.lastIndexOf(':') + 1));
  }

  private String dlqUrl(String queueUrl) {
    String dlq = redrive(queueUrl).dlqUrl();
    if (dlq == null) {
      throw new IllegalStateException("queue " + queueUrl + " has no redrive policy, so no DLQ");
    }
    return dlq;
  }

  private Redrive redrive(String queueUrl) {
    return redriveByQueueUrl.computeIfAbsent(queueUrl, url -> {
      String policy = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
          .attributes().get(QueueAttributeName.REDRIVE_POLICY);
      if (policy == null) {
        return new Redrive(null, Integer.MAX_VALUE);
      }
      try {
        JsonNode p = DataConverter.get().mapper().readTree(policy);
        String arn = p.path("deadLetterTargetArn").asText();
        // SQS returns maxReceiveCount as a number; ElasticMQ keeps the string it was given.
        int max = p.path("maxReceiveCount").asInt(Integer.MAX_VALUE);
        return new Redrive(queueUrlByName.apply(arn.substring(arn.lastIndexOf(':') + 1)), max);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("queue " + url + " has an unreadable redrive policy: " + policy, e);
      }
    });
  }
}
