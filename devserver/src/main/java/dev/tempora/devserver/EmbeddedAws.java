package dev.tempora.devserver;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The two real emulators of the embedded stack, started in this JVM: DynamoDB Local (on 127.0.0.1
 * and a free port, see {@link DynamoDbLocalServer}) and ElasticMQ (SQS, on 127.0.0.1 and a dynamic
 * port), plus ready-made AWS SDK v2 clients pointed at them. Everything else (Lambda's SQS poller,
 * Lambda Invoke, EventBridge Scheduler) has no offline emulator and is stood in for by the sibling
 * classes.
 *
 * <p>Each start makes a fresh credential ({@link #credentials()}); every client of the stack signs
 * with it and DynamoDB Local's listener (like the Scheduler and Lambda stand-ins) refuses any other.
 * ElasticMQ checks no signature: it is reachable on loopback only.
 *
 * <p>{@link #close()} stops both servers and closes the clients. DynamoDB Local's background job
 * threads are stopped by reflection (best effort against DynamoDB Local 2.6.1, see {@link
 * DynamoDbLocalServer}); a {@code main} should still end with {@code System.exit} to be safe.
 *
 * <p>Call {@link #close()} before exiting rather than from a JVM shutdown hook: there ElasticMQ's
 * stop waits on Pekko's own shutdown hook (~15 s measured; {@code close()} gives up after 3 s).
 * In memory, a JVM that simply exits loses nothing that close() would keep; on disk, every
 * acknowledged write is already in the data directory.
 */
public final class EmbeddedAws implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedAws.class);

  /** The region every client and every ARN uses; the emulators do not care, AWS-shaped ARNs do. */
  public static final Region REGION = Region.US_EAST_1;

  /** The account id ElasticMQ puts into queue ARNs (AWS's documentation placeholder style). */
  public static final String ACCOUNT_ID = "000000000000";

  /** How many connections DynamoDB Local serves at once (each SDK client pools up to 50). */
  private static final int DYNAMO_MAX_CONNECTIONS = 512;

  private final AwsBasicCredentials credentials;
  private final AwsCredentialsProvider credentialsProvider;
  private final DynamoDbLocalServer dynamoServer;
  private final ElasticMqServer sqsServer;
  private final URI dynamoEndpoint;
  private final URI sqsEndpoint;
  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  private final DelayedMessages delays;
  private final List<ExecutionInterceptor> interceptors;
  private volatile boolean closed;

  private EmbeddedAws(AwsBasicCredentials credentials, DynamoDbLocalServer dynamoServer, URI dynamoEndpoint,
      ElasticMqServer sqsServer, URI sqsEndpoint, List<ExecutionInterceptor> interceptors, Path dataDir) {
    this.credentials = credentials;
    this.credentialsProvider = StaticCredentialsProvider.create(credentials);
    this.dynamoServer = dynamoServer;
    this.dynamoEndpoint = dynamoEndpoint;
    this.sqsServer = sqsServer;
    this.sqsEndpoint = sqsEndpoint;
    this.interceptors = List.copyOf(interceptors);
    this.dynamo =
        DynamoDbClient.builder()
            .endpointOverride(dynamoEndpoint)
            .region(REGION)
            .credentialsProvider(credentialsProvider)
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(withInterceptors())
            .build();
    SqsClient direct = sqsClient(sqsEndpoint);
    this.delays = new DelayedMessages(direct, dataDir == null ? null : dataDir.resolve("sqs-delayed"));
    this.sqs = delays.wrap(direct);
  }

  /** Starts DynamoDB Local and ElasticMQ; blocks until both accept connections. */
  public static EmbeddedAws start() {
    return start(List.of());
  }

  /**
   * As {@link #start()}, with SDK interceptors added to every client this class builds (the shared
   * ones and {@link #newSqsClient()}): the benchmarks count and price each AWS call through them.
   */
  public static EmbeddedAws start(List<ExecutionInterceptor> interceptors) {
    return start(interceptors, null);
  }

  /**
   * As {@link #start(List)}, keeping the emulators' state in {@code dataDir} (DynamoDB Local's
   * database in {@code dynamodb/}, ElasticMQ's queues and messages in {@code sqs/}, delayed sends in
   * {@code sqs-delayed/}) and taking up what an earlier start left there; in memory if null.
   */
  public static EmbeddedAws start(List<ExecutionInterceptor> interceptors, Path dataDir) {
    AwsBasicCredentials credentials = StackCredentials.fresh();
    DynamoDbLocalServer dynamoServer = null;
    ElasticMqServer sqsServer = null;
    try {
      dynamoServer = DynamoDbLocalServer.start(credentials,
          HttpLimits.defaults().withMaxConnections(DYNAMO_MAX_CONNECTIONS),
          dataDir == null ? null : dataDir.resolve("dynamodb"));
      sqsServer = ElasticMqServer.start(REGION.id(), ACCOUNT_ID, dataDir == null ? null : dataDir.resolve("sqs"));
      URI dynamoEndpoint = dynamoServer.endpoint();
      URI sqsEndpoint = URI.create("http://127.0.0.1:" + sqsServer.port());
      log.info("Embedded AWS: DynamoDB Local at {}, ElasticMQ at {}", dynamoEndpoint, sqsEndpoint);
      return new EmbeddedAws(credentials, dynamoServer, dynamoEndpoint, sqsServer, sqsEndpoint, interceptors, dataDir);
    } catch (Exception e) {
      if (dynamoServer != null) dynamoServer.close();
      if (sqsServer != null) sqsServer.close();
      throw new IllegalStateException("could not start the embedded AWS emulators", e);
    }
  }

  /** This start's credential, for every client of the stack (the endpoints refuse any other). */
  public AwsCredentialsProvider credentials() {
    return credentialsProvider;
  }

  /** The credential's key id and secret (for the devserver's state file). */
  public AwsBasicCredentials credentialValues() {
    return credentials;
  }

  public URI dynamoEndpoint() {
    return dynamoEndpoint;
  }

  public URI sqsEndpoint() {
    return sqsEndpoint;
  }

  /** A shared client for DynamoDB Local; closed by {@link #close()}. */
  public DynamoDbClient dynamo() {
    return dynamo;
  }

  /** A shared client for ElasticMQ; closed by {@link #close()}. */
  public SqsClient sqs() {
    return sqs;
  }

  /**
   * A new SQS client for ElasticMQ, for a component that must own (and close) its own client, e.g.
   * a poller whose long polls should not hold the shared client's connections.
   */
  public SqsClient newSqsClient() {
    return delays.wrap(sqsClient(sqsEndpoint));
  }

  private SqsClient sqsClient(URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(credentialsProvider)
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(withInterceptors())
        .build();
  }

  /** Client configuration carrying the interceptors given to {@link #start(List)} (none by default). */
  public ClientOverrideConfiguration withInterceptors() {
    return ClientOverrideConfiguration.builder().executionInterceptors(interceptors).build();
  }

  /**
   * Puts ElasticMQ on the stack's clock (which only moves forward), so SQS delays and visibility
   * timeouts pass when the stack's time is moved.
   */
  public void useClock(InstantSource clock) {
    sqsServer.useClock(clock);
    delays.useClock(clock);
  }

  /** Sends the delayed messages that are due (right after the stack's clock moved). */
  void releaseDueMessages() {
    delays.releaseDue();
  }

  /**
   * A queue's messages by state at the stack's time: ElasticMQ's, and the delayed sends not yet
   * handed to it (visible once due).
   */
  ElasticMqServer.Depth depth(Queues queue) {
    ElasticMqServer.Depth d = sqsServer.depth(queue.name());
    Map.Entry<Integer, Integer> held = delays.count(queue.url());
    return new ElasticMqServer.Depth(d.visible() + held.getKey(), d.inFlight(), d.delayed() + held.getValue());
  }

  /**
   * When a message of the queue next becomes visible in ElasticMQ (a visibility timeout ending, or
   * a delay of a message another process sent), if any.
   */
  Optional<Instant> nextVisible(Queues queue) {
    return sqsServer.nextVisible(queue.name());
  }

  /** When the next delayed send of this process's clients is due, if later than now. */
  Optional<Instant> nextDelayedSend() {
    return delays.nextDue();
  }

  /** A queue and its dead-letter queue, as created by {@link #createQueue}. */
  public record Queues(String name, String url, String arn, String dlqName, String dlqUrl, String dlqArn) {}

  /**
   * Creates queue {@code name} and its DLQ {@code <base>-dlq}, with a RedrivePolicy moving a
   * message to the DLQ once it has been received {@code dlqMaxReceiveCount} times. For a FIFO
   * queue the DLQ is FIFO as well (SQS requires it) and both names end in {@code .fifo}: {@code
   * tasks} or {@code tasks.fifo} give {@code tasks.fifo} and {@code tasks-dlq.fifo}.
   */
  public Queues createQueue(String name, boolean fifo, int dlqMaxReceiveCount) {
    return createQueue(name, fifo, dlqMaxReceiveCount, Map.of());
  }

  /**
   * As {@link #createQueue(String, boolean, int)}, with further attributes for the main queue
   * (e.g. {@code VisibilityTimeout}, or {@code ContentBasedDeduplication} which EventBridge
   * Scheduler needs on a FIFO target queue).
   */
  public Queues createQueue(
      String name, boolean fifo, int dlqMaxReceiveCount, Map<QueueAttributeName, String> attributes) {
    if (dlqMaxReceiveCount < 1 || dlqMaxReceiveCount > 1000) {
      throw new IllegalArgumentException("maxReceiveCount must be 1..1000 (SQS), got " + dlqMaxReceiveCount);
    }
    String base = name.endsWith(".fifo") ? name.substring(0, name.length() - ".fifo".length()) : name;
    if (!fifo && name.endsWith(".fifo")) {
      throw new IllegalArgumentException("a standard queue name must not end in .fifo: " + name);
    }
    String queueName = fifo ? base + ".fifo" : base;
    String dlqName = fifo ? base + "-dlq.fifo" : base + "-dlq";

    Map<QueueAttributeName, String> dlqAttributes = new EnumMap<>(QueueAttributeName.class);
    if (fifo) dlqAttributes.put(QueueAttributeName.FIFO_QUEUE, "true");
    String dlqUrl = sqs.createQueue(b -> b.queueName(dlqName).attributes(dlqAttributes)).queueUrl();
    String dlqArn = queueArn(dlqUrl);

    Map<QueueAttributeName, String> queueAttributes = new EnumMap<>(QueueAttributeName.class);
    queueAttributes.putAll(attributes);
    if (fifo) queueAttributes.put(QueueAttributeName.FIFO_QUEUE, "true");
    queueAttributes.put(
        QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + dlqMaxReceiveCount + "\"}");
    String url = sqs.createQueue(b -> b.queueName(queueName).attributes(queueAttributes)).queueUrl();
    return new Queues(queueName, url, queueArn(url), dlqName, dlqUrl, dlqArn);
  }

  /** The ARN of a queue, as the emulator reports it. */
  public String queueArn(String queueUrl) {
    return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  /** Closes the clients and stops both servers. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    delays.close();
    dynamo.close();
    sqs.close();
    dynamoServer.close();
    sqsServer.close();
  }
}
