package dev.tempora.devserver;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Reading and redriving a queue's dead-letter queue through an SQS client: shared by {@link
 * DevServer} (in process) and the tempora CLI (dev.tempora.cli, against a running devserver).
 */
public final class DeadLetterQueues {
  private DeadLetterQueues() {}

  /** Up to 10 messages waiting in a DLQ, read without consuming them (visibility timeout 0). */
  public static List<Message> peek(SqsClient sqs, String dlqUrl) {
    return sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10).visibilityTimeout(0)
        .messageSystemAttributeNamesWithStrings("All")).messages();
  }

  /**
   * Moves the messages a DLQ holds now back to their queue (after a fix is deployed). Returns how
   * many. Only as many as were there when it started: a message its consumer dead-letters again
   * at once (bytes still undecodable) must not bounce between the two queues for ever.
   */
  public static int redrive(SqsClient sqs, String queueUrl, String dlqUrl) {
    boolean fifo = queueUrl.endsWith(".fifo");
    // Visible and delayed: a DLQ has no delayed messages on AWS, but the devserver's ElasticMQ runs
    // on the stack's clock and counts by the machine's, so once the clock is moved it calls some
    // visible messages delayed.
    Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl)
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    int waiting = Integer.parseInt(counts.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
        + Integer.parseInt(counts.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0"));
    int moved = 0;
    while (moved < waiting) {
      List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10)
          .messageSystemAttributeNamesWithStrings("All")).messages();
      if (batch.isEmpty()) {
        return moved;
      }
      for (Message m : batch) {
        if (moved == waiting) {
          // Not one of those that were waiting: leave it (visible again at once) for a later redrive.
          sqs.changeMessageVisibility(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
          continue;
        }
        sqs.sendMessage(b -> {
          b.queueUrl(queueUrl).messageBody(m.body());
          if (fifo) {
            b.messageGroupId(m.attributesAsStrings().get("MessageGroupId")).messageDeduplicationId(m.messageId());
          }
        });
        sqs.deleteMessage(b -> b.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
        moved++;
      }
    }
    return moved;
  }
}
