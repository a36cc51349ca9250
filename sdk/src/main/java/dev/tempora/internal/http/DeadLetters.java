package dev.tempora.internal.http;

import java.time.Instant;
import java.util.List;

/**
 * The dead-letter queues of a deployment, for the HTTP API's {@code /dead-letters} routes (the Web
 * UI's dead-letter page): the devserver's and {@code tempora ui}'s implementation reads SQS. The
 * Lambda HTTP API has none (its role may not read or move DLQ messages), so there the routes are
 * absent (ADR web-ui).
 */
public interface DeadLetters {

  /** The queues by role (workflow-tasks, timers, schedules, activities-{taskQueue}), in display order. */
  List<String> queues();

  /** How many messages the queue's DLQ holds (approximately, as SQS counts). */
  int count(String queue);

  /** Up to 10 messages of the queue's DLQ, read without consuming them. */
  List<DeadLetter> peek(String queue);

  /** Moves the messages the queue's DLQ holds now back to the queue; returns how many. */
  int redrive(String queue);

  /** One dead-lettered message: its body as sent, how often it was received, when it was first sent. */
  record DeadLetter(String messageId, String body, int receiveCount, Instant sentAt) {}
}
