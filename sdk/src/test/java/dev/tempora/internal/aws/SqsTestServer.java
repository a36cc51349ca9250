package dev.tempora.internal.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ in process on a free loopback port, a real SqsClient pointed at it (Apache HTTP
 * client, dummy credentials), and a record of every request the client sent, so tests can assert
 * what the adapters asked for (DelaySeconds, attributes, batch sizes) as well as what arrived.
 */
final class SqsTestServer implements AutoCloseable {
  static final StaticCredentialsProvider DUMMY = StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"));

  private final SQSRestServer server;
  final SqsClient sqs;
  final URI endpoint;
  private final List<SdkRequest> requests = new CopyOnWriteArrayList<>();

  private SqsTestServer() {
    server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    int port = server.waitUntilStarted().localAddress().getPort();
    endpoint = URI.create("http://127.0.0.1:" + port);
    sqs = SqsClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(DUMMY)
        .httpClient(ApacheHttpClient.create())
        .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
          @Override
          public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            requests.add(context.request());
          }
        }))
        .build();
  }

  static SqsTestServer start() {
    return new SqsTestServer();
  }

  /** Creates {@code name} with a DLQ ({@code <name>-dlq}) after 3 receives; returns its URL. */
  String createQueueWithDlq(String name) {
    boolean fifo = name.endsWith(".fifo");
    String dlqName = fifo ? name.substring(0, name.length() - 5) + "-dlq.fifo" : name + "-dlq";
    String dlqUrl = sqs.createQueue(b -> b.queueName(dlqName).attributes(fifoAttributes(fifo))).queueUrl();
    Map<QueueAttributeName, String> attributes = new java.util.HashMap<>(fifoAttributes(fifo));
    attributes.put(QueueAttributeName.REDRIVE_POLICY,
        "{\"maxReceiveCount\":\"3\",\"deadLetterTargetArn\":\"" + arn(dlqUrl) + "\"}");
    return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
  }

  private static Map<QueueAttributeName, String> fifoAttributes(boolean fifo) {
    return fifo
        ? Map.of(QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false")
        : Map.of();
  }

  String dlqUrl(String queueName) {
    boolean fifo = queueName.endsWith(".fifo");
    String dlqName = fifo ? queueName.substring(0, queueName.length() - 5) + "-dlq.fifo" : queueName + "-dlq";
    return sqs.getQueueUrl(b -> b.queueName(dlqName)).queueUrl();
  }

  String arn(String queueUrl) {
    return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
  }

  int attribute(String queueUrl, QueueAttributeName name) {
    return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(name)).attributes().get(name));
  }

  /** One ReceiveMessage call with all attributes; the messages stay in flight (visibility 30 s). */
  List<Message> receive(String queueUrl, int max, int waitSeconds) {
    return sqs.receiveMessage(b -> b.queueUrl(queueUrl)
        .maxNumberOfMessages(max)
        .waitTimeSeconds(waitSeconds)
        .messageAttributeNames("All")
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
  }

  /** Receives and deletes until {@code expected} messages arrived or {@code timeout} passed. */
  List<Message> drain(String queueUrl, int expected, Duration timeout) {
    List<Message> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.size() < expected && System.nanoTime() < deadline) {
      for (Message m : receive(queueUrl, 10, 1)) {
        out.add(m);
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
    return out;
  }

  void purge(String... queueUrls) {
    for (String url : queueUrls) {
      sqs.purgeQueue(b -> b.queueUrl(url));
    }
    requests.clear();
  }

  /** Requests of one type the client sent since the last {@link #purge}. */
  <T extends SdkRequest> List<T> sent(Class<T> type) {
    return requests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Override
  public void close() {
    sqs.close();
    server.stopAndWait();
  }
}
