package dev.tempora.devserver;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
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
 * The two real emulators of the embedded stack, started in this JVM: DynamoDB Local (its HTTP
 * server, on a free port) and ElasticMQ (SQS, on 127.0.0.1 and a dynamic port), plus ready-made
 * AWS SDK v2 clients pointed at them. Everything else (Lambda's SQS poller, Lambda Invoke,
 * EventBridge Scheduler) has no offline emulator and is stood in for by the sibling classes.
 *
 * <p>{@link #close()} stops both servers and closes the clients. DynamoDB Local needs help there:
 * {@link DynamoDBProxyServer#stop()} stops Jetty and cancels the emulator's background jobs (shard
 * rollover, GSI creation/deletion, TTL deletion), but their non-daemon pool threads only notice at
 * the end of a long {@code Thread.sleep} (still alive 40 s later, measured), so a plain {@code main}
 * would not exit. {@link #close()} therefore finds the emulator's {@code JobsRegister}s by
 * reflection and calls their {@code shutdownNow()}, which interrupts those sleeps (the jobs then
 * end). That is best effort against one DynamoDB Local version (2.6.1): if it finds nothing it logs
 * a warning, and a {@code main} should still end with {@code System.exit} to be safe.
 *
 * <p>Call {@link #close()} before exiting rather than from a JVM shutdown hook: there ElasticMQ's
 * stop waits on Pekko's own shutdown hook (~15 s measured; {@code close()} gives up after 3 s).
 * Both emulators are in memory, so a JVM that simply exits loses nothing that close() would keep.
 */
public final class EmbeddedAws implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedAws.class);

  /** The region every client and every ARN uses; the emulators do not care, AWS-shaped ARNs do. */
  public static final Region REGION = Region.US_EAST_1;

  /** The account id ElasticMQ puts into queue ARNs (AWS's documentation placeholder style). */
  public static final String ACCOUNT_ID = "000000000000";

  /** Dummy credentials: the emulators accept any signature, the SDK insists on having one. */
  public static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("tempora", "tempora"));

  private final DynamoDBProxyServer dynamoServer;
  private final SQSRestServer sqsServer;
  private final URI dynamoEndpoint;
  private final URI sqsEndpoint;
  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  private final List<ExecutionInterceptor> interceptors;
  private volatile boolean closed;

  private EmbeddedAws(DynamoDBProxyServer dynamoServer, URI dynamoEndpoint, SQSRestServer sqsServer, URI sqsEndpoint,
      List<ExecutionInterceptor> interceptors) {
    this.dynamoServer = dynamoServer;
    this.dynamoEndpoint = dynamoEndpoint;
    this.sqsServer = sqsServer;
    this.sqsEndpoint = sqsEndpoint;
    this.interceptors = List.copyOf(interceptors);
    this.dynamo =
        DynamoDbClient.builder()
            .endpointOverride(dynamoEndpoint)
            .region(REGION)
            .credentialsProvider(CREDENTIALS)
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(withInterceptors())
            .build();
    this.sqs = sqsClient(sqsEndpoint);
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
    DynamoDBProxyServer dynamoServer = null;
    SQSRestServer sqsServer = null;
    try {
      int dynamoPort = -1;
      // DynamoDB Local takes a port, not 0, and binds 0.0.0.0: probe a free port, and probe again
      // if another process takes it between the probe and the bind.
      for (int attempt = 1; dynamoServer == null; attempt++) {
        dynamoPort = freePort();
        DynamoDBProxyServer candidate =
            ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(dynamoPort), "-disableTelemetry"});
        try {
          candidate.start();
          dynamoServer = candidate;
        } catch (Exception e) {
          stopQuietly(candidate);
          if (attempt >= 5) throw e;
          log.debug("DynamoDB Local could not bind port {}, retrying", dynamoPort, e);
        }
      }
      sqsServer =
          SQSRestServerBuilder.withInterface("127.0.0.1")
              .withDynamicPort()
              .withAWSRegion(REGION.id())
              .withAWSAccountId(ACCOUNT_ID)
              .start();
      InetSocketAddress sqsAddress = sqsServer.waitUntilStarted().localAddress();
      URI dynamoEndpoint = URI.create("http://127.0.0.1:" + dynamoPort);
      URI sqsEndpoint = URI.create("http://127.0.0.1:" + sqsAddress.getPort());
      log.info("Embedded AWS: DynamoDB Local at {}, ElasticMQ at {}", dynamoEndpoint, sqsEndpoint);
      return new EmbeddedAws(dynamoServer, dynamoEndpoint, sqsServer, sqsEndpoint, interceptors);
    } catch (Exception e) {
      stopQuietly(dynamoServer);
      if (sqsServer != null) stopQuietly(sqsServer);
      throw new IllegalStateException("could not start the embedded AWS emulators", e);
    }
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
    return sqsClient(sqsEndpoint);
  }

  private SqsClient sqsClient(URI endpoint) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(withInterceptors())
        .build();
  }

  /** Client configuration carrying the interceptors given to {@link #start(List)} (none by default). */
  public ClientOverrideConfiguration withInterceptors() {
    return ClientOverrideConfiguration.builder().executionInterceptors(interceptors).build();
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
    dynamo.close();
    sqs.close();
    stopQuietly(dynamoServer);
    stopQuietly(sqsServer);
  }

  /**
   * Stops ElasticMQ, waiting at most a few seconds: normally that takes ~0.1 s, but from a JVM
   * shutdown hook it races Pekko's own shutdown hook and {@code stopAndWait()} took ~15 s (measured).
   */
  private static void stopQuietly(SQSRestServer server) {
    try {
      scala.concurrent.Await.result(
          server.stopAndGetFuture().apply(), scala.concurrent.duration.Duration.create(3, TimeUnit.SECONDS));
    } catch (Exception e) {
      log.warn("ElasticMQ did not stop within 3 s", e);
    }
  }

  private static void stopQuietly(DynamoDBProxyServer server) {
    if (server == null) return;
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("DynamoDB Local did not stop cleanly", e);
    }
    int stopped = shutdownJobThreads(server);
    if (stopped == 0) {
      log.warn("found no DynamoDB Local job pools to stop; its non-daemon threads may keep the JVM alive");
    }
  }

  private static final String DYNAMO_LOCAL_PACKAGE = "com.amazonaws.services.dynamodbv2.local.";
  private static final String JOBS_REGISTER = DYNAMO_LOCAL_PACKAGE + "shared.jobs.JobsRegister";

  /**
   * Walks the emulator's own objects reachable from {@code server} (only classes of DynamoDB Local,
   * and the values of maps/collections they hold, a few levels deep) and calls {@code
   * shutdownNow()} on every {@code JobsRegister} found. Returns how many it stopped.
   */
  private static int shutdownJobThreads(DynamoDBProxyServer server) {
    java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<Object> level = new java.util.ArrayDeque<>(java.util.List.of(server));
    int stopped = 0;
    for (int depth = 0; depth < 8 && !level.isEmpty(); depth++) {
      java.util.ArrayDeque<Object> next = new java.util.ArrayDeque<>();
      for (Object o : level) {
        if (!seen.add(o)) continue;
        if (o.getClass().getName().equals(JOBS_REGISTER)) {
          try {
            o.getClass().getMethod("shutdownNow").invoke(o);
            stopped++;
          } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("could not stop a DynamoDB Local job pool", e);
          }
          continue;
        }
        for (Class<?> c = o.getClass(); c != null && c.getName().startsWith(DYNAMO_LOCAL_PACKAGE); c = c.getSuperclass()) {
          for (java.lang.reflect.Field f : c.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
            try {
              f.setAccessible(true);
              Object v = f.get(o);
              if (v instanceof Map<?, ?> m) v = m.values();
              if (v instanceof java.util.Collection<?> col) {
                for (Object e : col) if (e != null && e.getClass().getName().startsWith(DYNAMO_LOCAL_PACKAGE)) next.add(e);
              } else if (v != null && v.getClass().getName().startsWith(DYNAMO_LOCAL_PACKAGE)) {
                next.add(v);
              }
            } catch (IllegalAccessException | RuntimeException e) {
              // Inaccessible or concurrently modified: skip this field, best effort.
            }
          }
        }
      }
      level = next;
    }
    return stopped;
  }

  /** A port free on all interfaces right now (DynamoDB Local binds 0.0.0.0). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
