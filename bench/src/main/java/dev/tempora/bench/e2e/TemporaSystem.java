package dev.tempora.bench.e2e;

import dev.tempora.bench.cost.AwsCallRecorder;
import dev.tempora.bench.cost.AwsPrices;
import dev.tempora.bench.cost.CallCounts;
import dev.tempora.bench.cost.CostBreakdown;
import dev.tempora.bench.cost.CostModel;
import dev.tempora.bench.cost.LambdaUsage;
import dev.tempora.bench.cost.StreamRelayMeter;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.devserver.DevServer;
import dev.tempora.devserver.EmbeddedAws;
import dev.tempora.devserver.SqsEventSourcePoller;
import dev.tempora.internal.aws.AwsRuntime;
import dev.tempora.internal.client.ResultWaiter;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.history.HistoryBatch;
import dev.tempora.internal.history.RunKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/**
 * Tempora on the embedded stack, driven as the benchmark needs it: the devserver (DynamoDB Local,
 * ElasticMQ, the Lambda event-source stand-ins running the real handlers) with the bench
 * workflow, an SDK interceptor counting every AWS call, and a client with AWS clients of its own
 * (as an application's would be: its calls do not queue behind the engine's connections).
 *
 * <p>A run starts N workflows from N virtual threads, at most {@code clientConcurrency} client
 * calls in flight, and each thread then waits for its result through the client. The wait is
 * woken by the coordinator's after-commit hook when the run's closing batch is committed (so N
 * waiting clients do not poll DynamoDB Local N times a second and slow the engine down); the
 * result itself is then read through the client as usual, which is when the latency is taken.
 */
final class TemporaSystem implements AutoCloseable {

  /** Pollers per queue (= concurrent Lambda invocations per function) and the client's concurrency. */
  record Settings(int workflowPollers, int activityPollers, int clientConcurrency) {}

  /** Component names of client calls in the AWS call counts. */
  static final String CLIENT_START = "client: start";
  static final String CLIENT_RESULT = "client: result";
  /**
   * The stream relay's component: the devserver's stream poller thread, which runs the relay's
   * handler (TableStreamHandler) as Lambda's stream event source would, as function
   * {@code <coordinator>-stream}.
   */
  static final String STREAM_RELAY = ThroughputBenchmark.COORDINATOR_FUNCTION + "-stream";
  /** How long the relay may take to see a run's records: a few of its 1 s batching windows. */
  private static final Duration RELAY_CATCH_UP = Duration.ofSeconds(5);
  /** Thread names of the devserver's stand-ins that are not SQS event sources (DynamoDbStreamPoller, DynamoDbTtlSweeper). */
  private static final String STREAM_POLLER_THREAD = "stream-poller";
  private static final String TTL_SWEEPER_THREAD = "ttl-sweeper";

  private static final String TASK_QUEUE = "default";

  /** How long a client waits for one workflow: generous, as the last of N=5,000 waits for all before it. */
  static final long WAIT_MINUTES = 30;

  /**
   * One measured run: throughput and latency, and what it cost.
   *
   * @param relay the stream relay's Lambda use (null if not priced)
   * @param relayRecords stream records that passed the relay's filter in the run (a run insert and
   *     a closing batch per workflow, if the relay kept up)
   */
  record Run(RunResult result, CallCounts calls, CostBreakdown cost, long workflowTasks, LambdaUsage relay,
      long relayRecords) {}

  private final Settings settings;
  private final AwsCallRecorder recorder;
  private final StreamRelayMeter relay;
  private final DevServer server;
  private final AwsRuntime clientRuntime;
  private final WorkflowClient client;
  private final Map<String, CompletableFuture<Void>> closing = new ConcurrentHashMap<>();
  private final LongAdder workflowTasks = new LongAdder();
  private final LongAdder activityNanos = new LongAdder();

  TemporaSystem(Settings settings) {
    this.settings = settings;
    recorder = new AwsCallRecorder(TemporaSystem::component);
    relay = new StreamRelayMeter(TemporaSystem::component, STREAM_RELAY, CostModel.DYNAMODB_TTL);
    WorkflowTaskHooks hooks = new WorkflowTaskHooks() {
      @Override
      public void afterCommit(RunKey run, HistoryBatch batch) {
        workflowTasks.increment();
        if (batch.closingEvent() != null) {
          CompletableFuture<Void> f = closing.get(run.workflowId());
          if (f != null) f.complete(null);
        }
      }
    };
    DevServer.Options options = DevServer.Options.defaults()
        .withPollers(List.of(TASK_QUEUE), settings.workflowPollers(), settings.activityPollers())
        .withHooks(hooks)
        .withInterceptors(List.of(recorder, relay));
    server = DevServer.start(worker -> worker
        .registerWorkflowImplementationTypes(BenchOrder.OrderWorkflowImpl.class, BenchOrder.LocalOrderWorkflowImpl.class)
        .registerActivitiesImplementations(new TimedActivities(activityNanos)), options);
    try {
      EmbeddedAws aws = server.aws();
      recorder.indexes(AwsCallRecorder.Index.of(aws.dynamo().describeTable(b -> b.tableName(server.config().tableName()))));
      clientRuntime = new AwsRuntime(server.config(), new AwsRuntime.Clients(
          DynamoDbClient.builder().endpointOverride(aws.dynamoEndpoint()).region(EmbeddedAws.REGION)
              .credentialsProvider(aws.credentials())
              .httpClientBuilder(ApacheHttpClient.builder().maxConnections(Math.max(50, settings.clientConcurrency())))
              .overrideConfiguration(aws.withInterceptors()).build(),
          aws.newSqsClient(),
          SchedulerClient.builder().endpointOverride(server.scheduler().endpoint()).region(EmbeddedAws.REGION)
              .credentialsProvider(aws.credentials()).httpClientBuilder(ApacheHttpClient.builder())
              .overrideConfiguration(aws.withInterceptors()).build(),
          LambdaClient.builder().endpointOverride(server.lambdaEndpoint()).region(EmbeddedAws.REGION)
              .credentialsProvider(aws.credentials()).httpClientBuilder(ApacheHttpClient.builder())
              .overrideConfiguration(aws.withInterceptors()).build()),
          server.scheduler()::now, WorkflowTaskHooks.NONE);
      // The client checks starts against the types it knows, as an application's client does.
      clientRuntime.worker().registerWorkflowImplementationTypes(BenchOrder.OrderWorkflowImpl.class,
          BenchOrder.LocalOrderWorkflowImpl.class);
      client = clientRuntime.client(new QuickPoll());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  Settings settings() {
    return settings;
  }

  /** The component of the calling thread: the Lambda function it serves, or one of the devserver's other stand-ins. */
  private static String component() {
    return SqsEventSourcePoller.currentFunction().orElseGet(() -> switch (Thread.currentThread().getName()) {
      case STREAM_POLLER_THREAD -> STREAM_RELAY;
      case TTL_SWEEPER_THREAD -> CostModel.DYNAMODB_TTL;
      default -> "other";
    });
  }

  /** Runs N workflows with ids {@code prefix-i}; counts and prices AWS calls if {@code priced}. */
  Run run(int n, String prefix, boolean priced) throws Exception {
    return run(n, prefix, priced, false);
  }

  /**
   * As {@link #run(int, String, boolean)}; {@code local}: the saga's steps are local activities
   * (their code's time is then inside the coordinator's invocations, and left out of orchestration there).
   */
  Run run(int n, String prefix, boolean priced, boolean local) throws Exception {
    Semaphore inFlight = new Semaphore(settings.clientConcurrency());
    long[] latency = new long[n];
    // One entry per poller (a queue may have several), keyed by its queue role.
    List<Map.Entry<String, SqsEventSourcePoller>> sources = server.eventSources().entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(p -> Map.entry(e.getKey(), p))).toList();
    long[] invocationsBefore = sources.stream().map(Map.Entry::getValue).mapToLong(SqsEventSourcePoller::batches).toArray();
    long[] handlerBefore = sources.stream().map(Map.Entry::getValue).mapToLong(SqsEventSourcePoller::handlerNanos).toArray();
    long tasksBefore = workflowTasks.sum();
    long ownBefore = activityNanos.sum();
    long firedBefore = server.scheduler().fired();
    if (priced) {
      recorder.start();
      relay.start();
    }
    long cpuStart = ProcessCpu.nanos();
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>(n);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int index = i;
        done.add(threads.submit(() -> {
          latency[index] = oneWorkflow(prefix + "-" + index, inFlight, local);
          return null;
        }));
      }
    }
    long wall = System.nanoTime() - start;
    long cpu = ProcessCpu.nanos() - cpuStart;
    if (priced) {
      awaitRelay(2L * n);
    }
    CallCounts calls = priced ? recorder.stop() : null;
    LambdaUsage relayUsage = priced ? relay.stop("stream relay", AwsPrices.STREAM_RELAY_MEMORY_MB) : null;
    long relayRecords = priced ? relay.records() : 0;
    for (Future<?> f : done) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a Tempora workflow of run " + prefix + " failed", e.getCause());
      }
    }
    long tasks = workflowTasks.sum() - tasksBefore;
    CostBreakdown cost = null;
    if (priced) {
      long coordinatorInvocations = 0, coordinatorNanos = 0, activityInvocations = 0, activityHandlerNanos = 0;
      int k = 0;
      for (Map.Entry<String, SqsEventSourcePoller> e : sources) {
        long inv = e.getValue().batches() - invocationsBefore[k];
        long nanos = e.getValue().handlerNanos() - handlerBefore[k];
        k++;
        if (e.getKey().startsWith("activities-")) {
          activityInvocations += inv;
          activityHandlerNanos += nanos;
        } else {
          coordinatorInvocations += inv;
          coordinatorNanos += nanos;
        }
      }
      long own = activityNanos.sum() - ownBefore;
      List<LambdaUsage> lambdas = List.of(
          new LambdaUsage("coordinator", AwsPrices.COORDINATOR_MEMORY_MB, coordinatorInvocations, coordinatorNanos,
              local ? own : 0),
          new LambdaUsage("activities", AwsPrices.ACTIVITY_MEMORY_MB, activityInvocations, activityHandlerNanos,
              local ? 0 : own),
          relayUsage);
      // Reading results is the benchmark's business, not the workflow's: it is counted, not priced.
      CallCounts billed = calls.filter(r -> !r.component().equals(CLIENT_RESULT));
      cost = CostModel.price(billed, lambdas, server.scheduler().fired() - firedBefore, (long) n * BenchOrder.STEPS, n);
    }
    return new Run(new RunResult(n, wall, latency, cpu), calls, cost, tasks, relayUsage, relayRecords);
  }

  private long oneWorkflow(String id, Semaphore inFlight, boolean local) throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    closing.put(id, closed);
    try {
      WorkflowOptions options = WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TASK_QUEUE).build();
      Object stub;
      Runnable start;
      if (local) {
        BenchOrder.LocalOrderWorkflow s = client.newWorkflowStub(BenchOrder.LocalOrderWorkflow.class, options);
        stub = s;
        start = () -> WorkflowClient.start(s::process, id);
      } else {
        BenchOrder.OrderWorkflow s = client.newWorkflowStub(BenchOrder.OrderWorkflow.class, options);
        stub = s;
        start = () -> WorkflowClient.start(s::process, id);
      }
      inFlight.acquire();
      long started = System.nanoTime();
      try {
        recorder.as(CLIENT_START, () -> {
          start.run();
          return null;
        });
      } finally {
        inFlight.release();
      }
      closed.get(WAIT_MINUTES, java.util.concurrent.TimeUnit.MINUTES);
      String result;
      inFlight.acquire();
      try {
        result = recorder.as(CLIENT_RESULT, () -> WorkflowStub.fromTyped(stub).getResult(String.class));
      } finally {
        inFlight.release();
      }
      long latency = System.nanoTime() - started;
      if (!BenchOrder.expectedResult(id).equals(result)) {
        throw new IllegalStateException("workflow " + id + " returned " + result);
      }
      return latency;
    } finally {
      closing.remove(id);
    }
  }

  /**
   * Waits for the run item to say closed. The client asks only once the closing batch is
   * committed, so only the run item's status update (right after the commit) may still be under
   * way: check at once, then back off from 5 ms, so that waiting clients add few reads to
   * DynamoDB Local, which every engine call shares.
   */
  private static final class QuickPoll implements ResultWaiter {
    @Override
    public void await(BooleanSupplier closed, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      long sleep = 5;
      while (!closed.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new WorkflowException(null, "timed out waiting for the workflow to close", new TimeoutException());
        }
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new WorkflowException(null, "interrupted", e);
        }
        sleep = Math.min(2 * sleep, 100);
      }
    }
  }

  /** The bench activities, timing their own code: that is the compute orchestration cost leaves out. */
  static final class TimedActivities implements BenchOrder.OrderActivities {
    private final BenchOrder.OrderActivities inner = new BenchOrder.OrderActivitiesImpl();
    private final LongAdder nanos;

    TimedActivities(LongAdder nanos) {
      this.nanos = nanos;
    }

    @Override
    public String reserveCredit(String orderId) {
      long t = System.nanoTime();
      try {
        return inner.reserveCredit(orderId);
      } finally {
        nanos.add(System.nanoTime() - t);
      }
    }

    @Override
    public String chargeCard(String orderId) {
      long t = System.nanoTime();
      try {
        return inner.chargeCard(orderId);
      } finally {
        nanos.add(System.nanoTime() - t);
      }
    }

    @Override
    public String fulfillOrder(String orderId) {
      long t = System.nanoTime();
      try {
        return inner.fulfillOrder(orderId);
      } finally {
        nanos.add(System.nanoTime() - t);
      }
    }
  }

  @Override
  public void close() {
    try {
      clientRuntime.clients.dynamoDb().close();
      clientRuntime.clients.sqs().close();
      clientRuntime.clients.scheduler().close();
      clientRuntime.clients.lambda().close();
    } finally {
      server.close();
    }
  }

  /**
   * The relay reads the stream in batches a window apart (as Lambda does): its work for the run's
   * last workflows comes after they close. Wait until it has seen {@code records} filtered records
   * (a run insert and a closing batch per workflow), so that work is counted with the run.
   */
  private void awaitRelay(long records) {
    long deadline = System.nanoTime() + RELAY_CATCH_UP.toNanos();
    while (relay.records() < records && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
