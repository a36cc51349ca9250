package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The embedded SQS on the stack's clock: a delayed message is due when that clock, not the
 * machine's, passes its delay; a visibility timeout likewise; the queue depths say so.
 */
class ElasticMqClockTest {
  static EmbeddedAws aws;
  static final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  @BeforeAll
  static void start() {
    aws = EmbeddedAws.start();
    InstantSource system = InstantSource.system();
    aws.useClock(() -> system.instant().plus(offset.get()));
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  private static Instant now() {
    return Instant.now().plus(offset.get());
  }

  private static void advance(Duration d) {
    offset.set(offset.get().plus(d));
    aws.releaseDueMessages();
  }

  private static List<String> receive(String url, int visibilitySeconds) {
    return aws.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(10)
        .visibilityTimeout(visibilitySeconds)).messages().stream().map(Message::body).toList();
  }

  @Test
  void delayedMessagesAreDueWhenTheStacksClockPassesThemInTheOrderSent() {
    EmbeddedAws.Queues q = aws.createQueue("clock-delays", false, 5);
    advance(Duration.ofHours(3)); // the stack's clock well ahead of the machine's
    Instant sent = now();
    aws.sqs().sendMessage(b -> b.queueUrl(q.url()).messageBody("in ten minutes").delaySeconds(600));
    aws.sqs().sendMessageBatch(b -> b.queueUrl(q.url()).entries(
        e -> e.id("a").messageBody("in fifteen minutes").delaySeconds(900),
        e -> e.id("b").messageBody("now")));
    assertEquals(new ElasticMqServer.Depth(1, 0, 2), aws.depth(q));
    Duration first = Duration.between(sent, aws.nextDelayedSend().orElseThrow());
    assertTrue(first.compareTo(Duration.ofSeconds(600)) >= 0 && first.compareTo(Duration.ofSeconds(601)) < 0,
        first.toString());

    advance(Duration.ofSeconds(599));
    assertEquals(new ElasticMqServer.Depth(1, 0, 2), aws.depth(q));
    advance(Duration.ofSeconds(2));
    assertEquals(new ElasticMqServer.Depth(2, 0, 1), aws.depth(q));
    advance(Duration.ofMinutes(5));
    assertEquals(new ElasticMqServer.Depth(3, 0, 0), aws.depth(q));
    assertEquals(Set.of("now", "in ten minutes", "in fifteen minutes"), Set.copyOf(receive(q.url(), 30)));
  }

  @Test
  void aVisibilityTimeoutEndsWhenTheStacksClockPassesIt() {
    EmbeddedAws.Queues q = aws.createQueue("clock-visibility", false, 5);
    aws.sqs().sendMessage(b -> b.queueUrl(q.url()).messageBody("job"));
    assertEquals(List.of("job"), receive(q.url(), 3600));
    assertEquals(new ElasticMqServer.Depth(0, 1, 0), aws.depth(q));
    Instant back = aws.nextVisible(q).orElseThrow();
    Duration in = Duration.between(now(), back);
    assertTrue(in.compareTo(Duration.ofMinutes(59)) > 0 && in.compareTo(Duration.ofMinutes(61)) < 0, in.toString());
    advance(Duration.ofMinutes(61));
    assertEquals(new ElasticMqServer.Depth(1, 0, 0), aws.depth(q));
    assertEquals(List.of("job"), receive(q.url(), 30));
  }
}
