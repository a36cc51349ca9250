package dev.tempora.internal.aws;

import dev.tempora.internal.http.DeadLetters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A deployment's dead-letter queues over SQS: each queue's DLQ is named {@code <base>-dlq} (or
 * {@code <base>-dlq.fifo}), as the devserver and the CDK construct name them. Peeking reads with
 * visibility timeout 0, so nothing is consumed; a redrive moves only the messages there when it
 * starts.
 */
public final class SqsDeadLetters implements DeadLetters {

  /** A queue and its DLQ, by URL. */
  public record QueuePair(String url, String dlqUrl) {}

  private final SqsClient sqs;
  private final Map<String, QueuePair> queues;

  /** Over the queues by role ({@code workflow-tasks}, {@code timers}, ...), in display order. */
  public SqsDeadLetters(SqsClient sqs, Map<String, QueuePair> queues) {
    this.sqs = sqs;
    this.queues = new LinkedHashMap<>(queues);
  }

  /**
   * A deployed engine's queues, found by name (GetQueueUrl): workflow tasks, timers, schedules and
   * one per served task queue; a queue that does not exist (a task queue served by a worker
   * outside Lambda) is left out.
   */
  public static SqsDeadLetters forDeployment(SqsClient sqs, AwsConfig config) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("workflow-tasks", config.workflowTaskQueueName());
    names.put("timers", config.timersQueueName());
    names.put("schedules", config.schedulesQueueName());
    config.servedTaskQueues().stream().sorted().forEach(q -> names.put("activities-" + q, config.activityQueueName(q)));
    Map<String, QueuePair> pairs = new LinkedHashMap<>();
    names.forEach((role, name) -> url(sqs, name).ifPresent(url -> url(sqs, dlqName(name))
        .ifPresent(dlq -> pairs.put(role, new QueuePair(url, dlq)))));
    return new SqsDeadLetters(sqs, pairs);
  }

  /** {@code tasks} and {@code tasks.fifo} have {@code tasks-dlq} and {@code tasks-dlq.fifo}. */
  static String dlqName(String queueName) {
    return queueName.endsWith(".fifo")
        ? queueName.substring(0, queueName.length() - ".fifo".length()) + "-dlq.fifo"
        : queueName + "-dlq";
  }

  private static Optional<String> url(SqsClient sqs, String name) {
    try {
      return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
    } catch (QueueDoesNotExistException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> queues() {
    return List.copyOf(queues.keySet());
  }

  @Override
  public int count(String queue) {
    return waiting(sqs, pair(queue).dlqUrl());
  }

  @Override
  public List<DeadLetter> peek(String queue) {
    List<DeadLetter> out = new ArrayList<>();
    for (Message m : peek(sqs, pair(queue).dlqUrl())) {
      Map<MessageSystemAttributeName, String> a = m.attributes();
      String count = a.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
      String sent = a.get(MessageSystemAttributeName.SENT_TIMESTAMP);
      out.add(new DeadLetter(m.messageId(), m.body(), count == null ? 0 : Integer.parseInt(count),
          sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent))));
    }
    return out;
  }

  @Override
  public int redrive(String queue) {
    QueuePair p = pair(queue);
    return redrive(sqs, p.url(), p.dlqUrl());
  }

  private QueuePair pair(String queue) {
    QueuePair p = queues.get(queue);
    if (p == null) {
      throw new IllegalArgumentException("no queue " + queue);
    }
    return p;
  }

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
    int waiting = waiting(sqs, dlqUrl);
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

  /**
   * Visible and delayed: a DLQ has no delayed messages on AWS, but the devserver's ElasticMQ runs
   * on the stack's clock and counts by the machine's, so once the clock is moved it calls some
   * visible messages delayed.
   */
  private static int waiting(SqsClient sqs, String dlqUrl) {
    Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl)
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return Integer.parseInt(counts.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
        + Integer.parseInt(counts.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0"));
  }
}
