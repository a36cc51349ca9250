package dev.tempora.internal.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempora.internal.converter.DataConverter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What a queue consumer does to a received message besides reporting it failed: hide it for a
 * while (a retry backoff, so a transient error does not burn receives in seconds) or move it to the
 * queue's DLQ itself (bytes that can never be decoded; nothing else goes there). The DLQ is the
 * one named by the source queue's redrive policy, read once per queue.
 */
public final class SqsRedelivery {
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final SqsClient sqs;
  private final UnaryOperator<String> queueUrlByName;
  private final Map<String, String> dlqUrlByQueueUrl = new ConcurrentHashMap<>();

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

  private String queueUrl(String arn) {
    return queueUrlByName.apply(arn.substring(arn.lastIndexOf(':') + 1));
  }

  private String dlqUrl(String queueUrl) {
    return dlqUrlByQueueUrl.computeIfAbsent(queueUrl, url -> {
      String policy = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
          .attributes().get(QueueAttributeName.REDRIVE_POLICY);
      if (policy == null) {
        throw new IllegalStateException("queue " + url + " has no redrive policy, so no DLQ");
      }
      try {
        JsonNode p = DataConverter.get().mapper().readTree(policy);
        String arn = p.path("deadLetterTargetArn").asText();
        return queueUrlByName.apply(arn.substring(arn.lastIndexOf(':') + 1));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("queue " + url + " has an unreadable redrive policy: " + policy, e);
      }
    });
  }
}
