package dev.tempora.devserver;

import dev.tempora.internal.aws.SqsDeadLetters;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Reading and redriving a queue's dead-letter queue through an SQS client: shared by {@link
 * DevServer} (in process) and the tempora CLI (dev.tempora.cli, against a running devserver). The
 * logic is {@link SqsDeadLetters}', which the HTTP API's dead-letter routes use too.
 */
public final class DeadLetterQueues {
  private DeadLetterQueues() {}

  /** Up to 10 messages waiting in a DLQ, read without consuming them (visibility timeout 0). */
  public static List<Message> peek(SqsClient sqs, String dlqUrl) {
    return SqsDeadLetters.peek(sqs, dlqUrl);
  }

  /**
   * Moves the messages a DLQ holds now back to their queue (after a fix is deployed). Returns how
   * many, only as many as were there when it started.
   */
  public static int redrive(SqsClient sqs, String queueUrl, String dlqUrl) {
    return SqsDeadLetters.redrive(sqs, queueUrl, dlqUrl);
  }
}
