package dev.tempora.devserver;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tempora.client.WorkflowClient;
import dev.tempora.internal.aws.AwsConfig;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.observe.EmfMetrics;
import dev.tempora.internal.aws.DynamoDbHistoryStore;
import dev.tempora.internal.aws.SqsDeadLetters;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.lambda.activity.ActivityTaskHandler;
import dev.tempora.lambda.coordinator.QueryInvocationHandler;
import dev.tempora.lambda.coordinator.ScheduleQueueHandler;
import dev.tempora.lambda.coordinator.TableStreamHandler;
import dev.tempora.lambda.coordinator.TimerQueueHandler;
import dev.tempora.lambda.coordinator.WorkflowTaskHandler;
import dev.tempora.worker.WorkerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The embedded stack, running the same handlers and SDK calls as on AWS: DynamoDB Local and
 * ElasticMQ in process, the table and queues (each with a DLQ), the Scheduler and Lambda Invoke
 * stand-ins, and one Lambda SQS event-source stand-in per queue driving the real handlers. Its
 * clock is the Scheduler stand-in's, shared by the coordinator and the timer forwarder, so a test
 * can move time forward and a long timer fires at once.
 */
public final class DevServer implements AutoCloseable {

  /**
   * Settings: which activity task queues get a queue and a worker, and how many pollers each.
   * {@code interceptors} are added to every AWS SDK client of the stack (runtime, pollers,
   * handlers); the benchmarks count AWS calls through them, the chaos suite injects faults.
   * {@code httpLimits} bound the HTTP API's listener (connections, read timeouts, header size).
   * {@code duplicateDeliveries} (test support, default none) makes the event sources deliver some
   * messages twice. {@code dataDir} (default null: in memory) keeps the stack's state on disk
   * across starts (see {@link #withDataDir}).
   */
  public record Options(AwsConfig config, List<String> activityTaskQueues, int workflowPollers, int activityPollers,
      int maxReceiveCount, Duration visibilityTimeout, WorkflowTaskHooks hooks, int httpApiPort,
      List<ExecutionInterceptor> interceptors, HttpLimits httpLimits,
      SqsEventSourcePoller.DuplicateDeliveries duplicateDeliveries, Path dataDir) {
    public Options {
      interceptors = List.copyOf(interceptors);
      Objects.requireNonNull(httpLimits);
      Objects.requireNonNull(duplicateDeliveries);
    }

    /** With the default HTTP limits and no duplicate deliveries (the form before they existed). */
    public Options(AwsConfig config, List<String> activityTaskQueues, int workflowPollers, int activityPollers,
        int maxReceiveCount, Duration visibilityTimeout, WorkflowTaskHooks hooks, int httpApiPort,
        List<ExecutionInterceptor> interceptors) {
      this(config, activityTaskQueues, workflowPollers, activityPollers, maxReceiveCount, visibilityTimeout, hooks,
          httpApiPort, interceptors, HttpLimits.defaults(), SqsEventSourcePoller.DuplicateDeliveries.NONE, null);
    }

    /** Without interceptors (the form before they existed). */
    public Options(AwsConfig config, List<String> activityTaskQueues, int workflowPollers, int activityPollers,
        int maxReceiveCount, Duration visibilityTimeout, WorkflowTaskHooks hooks, int httpApiPort) {
      this(config, activityTaskQueues, workflowPollers, activityPollers, maxReceiveCount, visibilityTimeout, hooks,
          httpApiPort, List.of());
    }

    public static Options defaults() {
      return new Options(AwsConfig.defaults(), List.of("default", "gpu"), 2, 4, 5, Duration.ofSeconds(30),
          WorkflowTaskHooks.NONE, 0);
    }

    public Options withHooks(WorkflowTaskHooks h) {
      return new Options(config, activityTaskQueues, workflowPollers, activityPollers, maxReceiveCount,
          visibilityTimeout, h, httpApiPort, interceptors, httpLimits, duplicateDeliveries, dataDir);
    }

    /** How long a failed message stays hidden before redelivery, and receives before its DLQ. */
    public Options withRedelivery(Duration visibility, int maxReceives) {
      return new Options(config, activityTaskQueues, workflowPollers, activityPollers, maxReceives, visibility, hooks,
          httpApiPort, interceptors, httpLimits, duplicateDeliveries, dataDir);
    }

    public Options withPollers(List<String> taskQueues, int workflow, int activity) {
      return new Options(config, taskQueues, workflow, activity, maxReceiveCount, visibilityTimeout, hooks,
          httpApiPort, interceptors, httpLimits, duplicateDeliveries, dataDir);
    }

    /** The HTTP API's port on 127.0.0.1 (default 0: a free port, printed and in the state file). */
    public Options withHttpApiPort(int port) {
      return new Options(config, activityTaskQueues, workflowPollers, activityPollers, maxReceiveCount,
          visibilityTimeout, hooks, port, interceptors, httpLimits, duplicateDeliveries, dataDir);
    }

    public Options withConfig(AwsConfig c) {
      return new Options(c, activityTaskQueues, workflowPollers, activityPollers, maxReceiveCount,
          visibilityTimeout, hooks, httpApiPort, interceptors, httpLimits, duplicateDeliveries, dataDir);
    }

    public Options withInterceptors(List<ExecutionInterceptor> list) {
      return new Options(config, activityTaskQueues, workflowPollers, activityPollers, maxReceiveCount,
          visibilityTimeout, hooks, httpApiPort, list, httpLimits, duplicateDeliveries, dataDir);
    }

    /** The HTTP API listener's limits (default {@link HttpLimits#defaults()}). */
    public Options withHttpLimits(HttpLimits limits) {
      return new Options(config, activityTaskQueues, workflowPollers, activityPollers, maxReceiveCount,
          visibilityTimeout, hooks, httpApiPort, interceptors, limits, duplicateDeliveries, dataDir);
    }

    /**
     * Test support: every queue's event source hands some messages to its function twice (each
     * poller with its own seed derived from {@code d}'s).
     */
    public Options withDuplicateDeliveries(SqsEventSourcePoller.DuplicateDeliveries d) {
      return new Options(config, activityTaskQueues, workflowPollers, activityPollers, maxReceiveCount,
          visibilityTimeout, hooks, httpApiPort, interceptors, httpLimits, d, dataDir);
    }

    /**
     * Keeps the stack's state in {@code dir} (created if missing) and takes up what an earlier
     * start kept there: DynamoDB Local's database, ElasticMQ's queues and messages, the delayed
     * sends, the Scheduler stand-in's schedules and the clock's offset. Null: in memory.
     */
    public Options withDataDir(Path dir) {
      return new Options(config, activityTaskQueues, workflowPollers, activityPollers, maxReceiveCount,
          visibilityTimeout, hooks, httpApiPort, interceptors, httpLimits, duplicateDeliveries, dir);
    }
  }

  private final EmbeddedAws aws;
  private final SchedulerEndpoint scheduler;
  private final LambdaInvokeEndpoint lambda;
  private final HttpApiServer httpApi;
  private UiServer webUi;
  private final AwsRuntime runtime;
  private final AwsConfig config;
  private final String workerSetupClass;
  private final List<String> workerClasspath;
  private final Path dataDir;
  /** Held while the stack runs on its data directory; the OS drops it with the process. */
  private final FileChannel dataDirLock;
  private final Map<String, EmbeddedAws.Queues> queues = new LinkedHashMap<>();
  private final Map<String, List<SqsEventSourcePoller>> pollers = new LinkedHashMap<>();
  private DynamoDbStreamsClient streams;
  private DynamoDbStreamPoller streamPoller;
  private DynamoDbTtlSweeper ttlSweeper;
  private Duration visibilityTimeout;
  private SqsEventSourcePoller.DuplicateDeliveries duplicateDeliveries;
  /** State files written by {@link #writeState}, written again when the clock moves. */
  private final List<Path> stateFiles = new CopyOnWriteArrayList<>();

  /** A data directory another devserver (process or stack) is using. */
  public static final class DataDirInUse extends IllegalStateException {
    DataDirInUse(Path dir) {
      super("DataDirInUse: another devserver is using the data directory " + dir
          + "; stop it first or pass another --data-dir (or --ephemeral)");
    }
  }

  private DevServer(WorkerSetup setup, Options o) {
    dataDir = o.dataDir();
    dataDirLock = dataDir == null ? null : lock(dataDir);
    try {
      aws = EmbeddedAws.start(o.interceptors(), o.dataDir());
    } catch (RuntimeException | Error e) {
      unlock();
      throw e;
    }
    visibilityTimeout = o.visibilityTimeout();
    duplicateDeliveries = o.duplicateDeliveries();
    try {
      // The engine serves exactly the task queues it has queues and workers for.
      // The task queues with pollers here, plus any the config names (workers outside Lambda, such
      // as an ActivityPoller on a GPU host, serve queues that have no poller here).
      Set<String> served = new TreeSet<>(o.activityTaskQueues());
      served.addAll(o.config().servedTaskQueues());
      AwsConfig c = o.config().withServedTaskQueues(served);
      config = c;
      workerSetupClass = loadableName(setup.getClass());
      workerClasspath = classpathOf(setup.getClass());
      DynamoDbHistoryStore.createTable(aws.dynamo(), c.tableName());
      queues.put("workflow-tasks", aws.createQueue(c.workflowTaskQueueName(), true, o.maxReceiveCount()));
      queues.put("timers", aws.createQueue(c.timersQueueName(), false, o.maxReceiveCount()));
      queues.put("schedules", aws.createQueue(c.schedulesQueueName(), false, o.maxReceiveCount()));
      for (String q : o.activityTaskQueues()) {
        queues.put("activities-" + q, aws.createQueue(c.activityQueueName(q), false, o.maxReceiveCount()));
      }
      scheduler = SchedulerEndpoint.start(aws.sqs(), InstantSource.system(), aws.credentialValues(),
          HttpLimits.defaults(), o.dataDir() == null ? null : o.dataDir().resolve("scheduler.json"));
      // One clock for the whole stack: the Scheduler stand-in's (movable), ElasticMQ's delays too.
      aws.useClock(scheduler::now);
      lambda = LambdaInvokeEndpoint.start(aws.credentialValues());
      InstantSource clock = scheduler::now;
      runtime = new AwsRuntime(c, new AwsRuntime.Clients(aws.dynamo(), aws.sqs(),
          SchedulerClient.builder().endpointOverride(scheduler.endpoint()).region(Region.US_EAST_1)
              .credentialsProvider(aws.credentials()).httpClientBuilder(ApacheHttpClient.builder())
              .overrideConfiguration(aws.withInterceptors()).build(),
          LambdaClient.builder().endpointOverride(lambda.endpoint()).region(Region.US_EAST_1)
              .credentialsProvider(aws.credentials()).httpClientBuilder(ApacheHttpClient.builder())
              .overrideConfiguration(aws.withInterceptors()).build()),
          clock, o.hooks());
      // EMF lines to the tempora.metrics logger (debug): Lambda's stdout stand-in, off the console by default.
      runtime.metrics.set(EmfMetrics.toLogger());
      setup.configure(runtime.worker());
      QueryInvocationHandler queries = new QueryInvocationHandler(runtime.processor, runtime::describe);
      lambda.register(c.coordinatorFunctionName(),
          json -> queries.handle(json.getBytes(StandardCharsets.UTF_8)).toString());
      poll("workflow-tasks", new WorkflowTaskHandler(runtime), o.workflowPollers(), c.coordinatorFunctionName());
      poll("timers", new TimerQueueHandler(runtime), 1, c.coordinatorFunctionName());
      poll("schedules", new ScheduleQueueHandler(runtime), 1, c.coordinatorFunctionName() + "-schedules");
      ActivityTaskHandler activities = new ActivityTaskHandler(runtime);
      for (String q : o.activityTaskQueues()) {
        poll("activities-" + q, activities, o.activityPollers(), "tempora-activities-" + q);
      }
      streams = DynamoDbStreamsClient.builder().endpointOverride(aws.dynamoEndpoint()).region(Region.US_EAST_1)
          .credentialsProvider(aws.credentials()).httpClientBuilder(ApacheHttpClient.builder())
          .overrideConfiguration(aws.withInterceptors()).build();
      String streamArn = aws.dynamo().describeTable(b -> b.tableName(c.tableName())).table().latestStreamArn();
      // DynamoDB Local's own TTL cannot delete from this table (see DynamoDbTtlSweeper): a stand-in does.
      ttlSweeper = new DynamoDbTtlSweeper(aws.dynamo(), c.tableName(), clock);
      streamPoller = new DynamoDbStreamPoller(streams, streamArn, new TableStreamHandler(runtime.streamRelay),
          c.coordinatorFunctionName() + "-stream", ttlSweeper);
      httpApi = HttpApiServer.start(runtime.httpApi(), o.httpApiPort(), o.httpLimits());
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * Moves the clock of the stack kept in {@code dataDir} forward, before it starts: unlike {@link
   * #advanceClock} on a running stack, no message in flight sees the jump.
   */
  public static void advanceClockBeforeStart(Path dataDir, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("the stack's clock only moves forward, got " + d);
    }
    SchedulerEndpoint.advanceStoredClock(dataDir.resolve("scheduler.json"), d);
  }

  public static DevServer start(WorkerSetup setup) {
    return start(setup, Options.defaults());
  }

  public static DevServer start(WorkerSetup setup, Options options) {
    return new DevServer(setup, options);
  }

  /** The class's name if a client process can load it by name (not a lambda or an anonymous class). */
  private static String loadableName(Class<?> c) {
    return c.isHidden() || c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass() ? null : c.getName();
  }

  private static FileChannel lock(Path dir) {
    try {
      Files.createDirectories(dir);
      FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        if (channel.tryLock() != null) {
          return channel;
        }
      } catch (OverlappingFileLockException e) {
        // held by another stack in this JVM
      }
      channel.close();
      throw new DataDirInUse(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the data directory " + dir, e);
    }
  }

  private void unlock() {
    if (dataDirLock != null) {
      try {
        dataDirLock.close();
      } catch (IOException e) {
        // closing releases the lock; nothing more to do
      }
    }
  }

  /**
   * Where a setup loaded from a user's classpath or jar (a child URLClassLoader) finds its classes,
   * so a client process can load it too; empty for a setup on the application's own classpath.
   */
  private static List<String> classpathOf(Class<?> c) {
    return c.getClassLoader() instanceof URLClassLoader u && u != ClassLoader.getSystemClassLoader()
        ? Stream.of(u.getURLs()).map(URL::toString).toList() : List.of();
  }

  private void poll(String key, RequestHandler<
      SQSEvent,
      SQSBatchResponse> handler, int pollerCount, String function) {
    EmbeddedAws.Queues q = queues.get(key);
    pollers.computeIfAbsent(key, k -> new ArrayList<>()).add(SqsEventSourcePoller.builder(aws.sqs(), q.url(), handler).queueArn(q.arn()).functionName(function)
        .batchSize(10).pollers(pollerCount).waitTime(Duration.ofSeconds(1)).visibilityTimeout(visibilityTimeout)
        .duplicateDeliveries(duplicateDeliveries.withSeed(duplicateDeliveries.seed() * 31 + key.hashCode()))
        .start());
  }

  public WorkflowClient client() {
    return runtime.client();
  }

  public AwsRuntime runtime() {
    return runtime;
  }

  /**
   * The deployment names (table, queue prefix, namespace, coordinator function) this stack uses,
   * and the task queues it serves (its activity task queues).
   */
  public AwsConfig config() {
    return config;
  }

  /**
   * The worker setup's class name, for clients in another process (the CLI) that register the
   * same workflow types to check requests; null if the setup cannot be loaded by name.
   */
  public String workerSetupClass() {
    return workerSetupClass;
  }

  /** The worker setup's own classpath (URLs) if it was loaded from one, else empty. */
  public List<String> workerClasspath() {
    return workerClasspath;
  }

  /** Where the stack keeps its state across starts, or null if in memory. */
  public Path dataDir() {
    return dataDir;
  }

  /** The HTTP API (docs/http-api.md), served on 127.0.0.1 as API Gateway serves it on AWS. */
  public URI httpApiEndpoint() {
    return httpApi.endpoint();
  }

  /**
   * The Web UI's URL, token included (ADR web-ui); the UI starts on the first call, on a free
   * port of 127.0.0.1, and stops with the stack.
   */
  public URI webUiUrl() {
    return webUi(0).launchUrl();
  }

  /** Starts the Web UI on {@code port} (0: a free one) if it is not running yet; returns it. */
  public synchronized UiServer webUi(int port) {
    if (webUi == null) {
      Map<String, SqsDeadLetters.QueuePair> pairs = new LinkedHashMap<>();
      queues.forEach((role, q) -> pairs.put(role, new SqsDeadLetters.QueuePair(q.url(), q.dlqUrl())));
      webUi = UiServer.start(runtime.httpApi().withDeadLetters(new SqsDeadLetters(aws.sqs(), pairs)), port);
    }
    return webUi;
  }

  /** The Lambda Invoke stand-in's endpoint (queries go to the coordinator function there). */
  public URI lambdaEndpoint() {
    return lambda.endpoint();
  }

  public EmbeddedAws aws() {
    return aws;
  }

  public SchedulerEndpoint scheduler() {
    return scheduler;
  }

  /** The stand-in for the table's TTL deletion (on the stack's clock): retention ends through it. */
  public DynamoDbTtlSweeper timeToLive() {
    return ttlSweeper;
  }

  /**
   * Registers changed code, as a deployment does: warm runners are dropped, and the parked
   * workflow tasks that failed under other code are retried at once (what a new coordinator
   * version does on its first invocation). Returns how many parked tasks were woken.
   */
  public int deploy(WorkerSetup setup) {
    setup.configure(runtime.worker());
    runtime.publishCatalog(); // for clients without the code, as a new coordinator does when it starts
    runtime.cache.invalidateAll();
    return runtime.processor.wakeParkedRuns(config.namespace(), false);
  }

  /**
   * Moves the stack's clock (workflow time, the Scheduler, SQS delays) forward: due timers fire.
   * Never backwards: a message delayed or received before would then wait the difference again.
   */
  public void advanceClock(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("the stack's clock only moves forward, got " + d);
    }
    scheduler.advanceClock(d);
    aws.releaseDueMessages();
    stateFiles.forEach(path -> DevServerState.of(this).write(path));
  }

  /**
   * Writes the state file a client process (the CLI) finds the stack by, and writes it again
   * whenever the clock moves, so the client counts delays on the stack's time.
   */
  public void writeState(Path path) {
    DevServerState.of(this).write(path);
    stateFiles.add(path);
  }

  /** The queues by role: workflow-tasks, timers, schedules, activities-{taskQueue}. */
  public Map<String, EmbeddedAws.Queues> queues() {
    return queues;
  }

  /** Messages waiting in a queue's DLQ (read without consuming them: visibility timeout 0). */
  public List<Message> deadLetters(String role) {
    return DeadLetterQueues.peek(aws.sqs(), queues.get(role).dlqUrl());
  }

  /** Moves a DLQ's messages back to their queue (after a fix is deployed). Returns how many. */
  public int redrive(String role) {
    EmbeddedAws.Queues q = queues.get(role);
    return DeadLetterQueues.redrive(aws.sqs(), q.url(), q.dlqUrl());
  }

  /** How many messages the stand-in event source has received from a queue (by role) so far. */
  public long messagesReceived(String role) {
    return pollers.getOrDefault(role, List.of()).stream().mapToLong(SqsEventSourcePoller::messages).sum();
  }

  /**
   * The Lambda event-source stand-ins by queue role (workflow-tasks, timers, activities-{taskQueue}),
   * with their invocation counts and handler time.
   */
  public Map<String, List<SqsEventSourcePoller>> eventSources() {
    return Collections.unmodifiableMap(pollers);
  }

  /** How many messages a queue holds, visible, in flight or delayed (for waiting until the stack is idle). */
  public int backlog(String role) {
    return depth(role).total();
  }

  /** A queue's messages: visible, in flight (received, not yet deleted) and delayed (not yet visible). */
  public record QueueDepth(int visible, int inFlight, int delayed) {
    public int total() {
      return visible + inFlight + delayed;
    }
  }

  /**
   * How many messages a queue holds, by state, at the stack's time (ElasticMQ's own counts:
   * GetQueueAttributes would compare with the machine's clock, behind the stack's once moved).
   */
  public QueueDepth depth(String role) {
    ElasticMqServer.Depth d = aws.depth(queues.get(role));
    return new QueueDepth((int) d.visible(), (int) d.inFlight(), (int) d.delayed());
  }

  /**
   * When the next delayed message of any queue becomes visible (a short timer, a retry backoff, a
   * schedule's firing within its minute), if any: time skipping moves the clock there.
   */
  public Optional<Instant> nextDelayedMessage() {
    return Stream.concat(queues.values().stream().map(aws::nextVisible), Stream.of(aws.nextDelayedSend()))
        .flatMap(Optional::stream).min(Instant::compareTo);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (webUi != null) {
        webUi.close();
      }
    }
    if (httpApi != null) {
      httpApi.close();
    }
    pollers.values().forEach(list -> list.forEach(SqsEventSourcePoller::close));
    if (streamPoller != null) {
      streamPoller.close();
    }
    if (ttlSweeper != null) {
      ttlSweeper.close();
    }
    if (streams != null) {
      streams.close();
    }
    if (lambda != null) {
      lambda.close();
    }
    if (scheduler != null) {
      scheduler.close();
    }
    aws.close();
    unlock();
  }
}
