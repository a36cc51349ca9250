package dev.tempora.internal.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Delays longer than SQS allows (DelaySeconds is at most 900 s). The sender puts the due time in
 * a {@value #NOT_BEFORE} message attribute (epoch millis) and sends with the largest delay; the
 * consumer calls {@link #deferIfEarly} on receipt, which re-sends a message that is still early
 * with the remaining delay (again at most 900 s) and tells the consumer to treat the original as
 * handled (delete it, do not process it). A 1-hour backoff therefore costs four sends.
 */
public final class SqsDelayedDelivery {
  /** Message attribute holding the earliest processing time, epoch milliseconds, as a Number. */
  public static final String NOT_BEFORE = "notBefore";
  /**
   * A message this close to its due time is processed rather than re-sent: SQS delays are whole
   * seconds, and clocks of different hosts differ a little.
   */
  public static final Duration EARLY_TOLERANCE = Duration.ofSeconds(1);

  private SqsDelayedDelivery() {}

  /** What to send: the DelaySeconds and, when the delay is over 900 s, the notBefore attribute. */
  public record Plan(int delaySeconds, Map<String, MessageAttributeValue> attributes) {}

  /** How to send a message that must not be processed before {@code now + delay}. */
  public static Plan plan(Instant now, Duration delay) {
    if (delay.toMillis() <= SqsLimits.MAX_DELAY_SECONDS * 1000L) {
      return new Plan(SqsLimits.delaySeconds(delay), Map.of());
    }
    return new Plan(SqsLimits.MAX_DELAY_SECONDS, Map.of(NOT_BEFORE, notBefore(now.plus(delay))));
  }

  static MessageAttributeValue notBefore(Instant at) {
    return MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(at.toEpochMilli())).build();
  }

  /**
   * For a message received from {@code queueUrl}: if its {@value #NOT_BEFORE} is still more than
   * {@link #EARLY_TOLERANCE} away, sends it again (same body and attributes) with the remaining
   * delay, capped at 900 s, and returns true: the caller deletes the original and does not
   * process it. Returns false (process it now) for a message without the attribute or one that
   * is due.
   *
   * @param notBeforeValue the attribute's string value as received, or null
   * @param attributes the received message attributes, copied to the re-sent message
   */
  public static boolean deferIfEarly(SqsClient sqs, String queueUrl, String body, String notBeforeValue,
      Map<String, MessageAttributeValue> attributes, InstantSource clock) {
    if (notBeforeValue == null || notBeforeValue.isBlank()) {
      return false;
    }
    Instant due = Instant.ofEpochMilli(Long.parseLong(notBeforeValue.trim()));
    Duration remaining = Duration.between(clock.instant(), due);
    if (remaining.compareTo(EARLY_TOLERANCE) <= 0) {
      return false;
    }
    Map<String, MessageAttributeValue> copy = new HashMap<>(attributes == null ? Map.of() : attributes);
    copy.put(NOT_BEFORE, notBefore(due));
    sqs.sendMessage(SendMessageRequest.builder()
        .queueUrl(queueUrl)
        .messageBody(body)
        .delaySeconds(SqsLimits.delaySeconds(remaining))
        .messageAttributes(copy)
        .messageSystemAttributes(SqsTrace.current())
        .build());
    return true;
  }

  /** {@link #deferIfEarly(SqsClient, String, String, String, Map, InstantSource)} for a message from ReceiveMessage. */
  public static boolean deferIfEarly(SqsClient sqs, String queueUrl, Message message, InstantSource clock) {
    MessageAttributeValue nb = message.messageAttributes().get(NOT_BEFORE);
    return deferIfEarly(sqs, queueUrl, message.body(), nb == null ? null : nb.stringValue(), message.messageAttributes(),
        clock);
  }
}
