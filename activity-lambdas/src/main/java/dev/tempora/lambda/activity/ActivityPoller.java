package dev.tempora.lambda.activity;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.aws.EnvironmentRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The activity worker as a long-running process, for hosts outside Lambda (a GPU task queue on
 * ECS or EC2, jobs longer than Lambda's 15 minutes). It long-polls one activity queue and hands
 * each batch to the same {@link ActivityTaskHandler} the Lambda runs, then deletes what
 * succeeded; failed messages reappear after their backoff (or the queue's visibility timeout),
 * and one running out of receives is handed back as a fresh copy by the handler: only undecodable
 * ones go to the DLQ. Run it as {@code ActivityPoller <taskQueue>} with the same
 * environment variables as the Lambda functions.
 */
public final class ActivityPoller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ActivityPoller.class);

  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;
  private final ActivityTaskHandler handler;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong completed = new AtomicLong();
  private final Thread thread;

  public ActivityPoller(AwsRuntime runtime, String taskQueue) {
    this.sqs = runtime.clients.sqs();
    this.queueUrl = runtime.queueUrl(runtime.config.activityQueueName(taskQueue));
    this.queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    this.handler = new ActivityTaskHandler(runtime);
    this.thread = Thread.ofVirtual().name("activity-poller " + taskQueue).start(this::loop);
  }

  private void loop() {
    while (running.get()) {
      try {
        List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(10)
            .messageAttributeNames("All").messageSystemAttributeNamesWithStrings("All")).messages();
        if (batch.isEmpty()) {
          continue;
        }
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : batch) {
          records.add(toRecord(m));
        }
        event.setRecords(records);
        var failed = new java.util.HashSet<String>();
        handler.handleRequest(event, null).getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        for (Message m : batch) {
          if (!failed.contains(m.messageId())) {
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            completed.incrementAndGet();
          }
        }
      } catch (RuntimeException e) {
        if (running.get()) {
          log.warn("activity poller on {}: {}", queueUrl, e.toString());
          sleep(Duration.ofSeconds(1));
        }
      }
    }
  }

  private SQSEvent.SQSMessage toRecord(Message m) {
    SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
    r.setMessageId(m.messageId());
    r.setReceiptHandle(m.receiptHandle());
    r.setBody(m.body());
    r.setEventSourceArn(queueArn);
    r.setEventSource("aws:sqs");
    r.setAttributes(m.attributesAsStrings());
    Map<String, SQSEvent.MessageAttribute> attrs = new HashMap<>();
    m.messageAttributes().forEach((k, v) -> {
      SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
      a.setStringValue(v.stringValue());
      a.setDataType(v.dataType());
      attrs.put(k, a);
    });
    r.setMessageAttributes(attrs);
    return r;
  }

  /** Messages handled and deleted so far. */
  public long completed() {
    return completed.get();
  }

  @Override
  public void close() {
    running.set(false);
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code ActivityPoller <taskQueue>}: polls until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: ActivityPoller <taskQueue>   (configured by the TEMPORA_* environment variables)");
      System.exit(2);
    }
    ActivityPoller poller = new ActivityPoller(EnvironmentRuntime.get(), args[0]);
    Runtime.getRuntime().addShutdownHook(new Thread(poller::close));
    Thread.currentThread().join();
  }
}
