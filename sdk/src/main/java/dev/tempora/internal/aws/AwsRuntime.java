package dev.tempora.internal.aws;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.internal.client.QueryHandler;
import dev.tempora.internal.client.RequestValidator;
import dev.tempora.internal.client.WorkflowCatalog;
import dev.tempora.internal.client.ResultWaiter;
import dev.tempora.internal.client.WorkflowClientImpl;
import dev.tempora.internal.client.WorkflowService;
import dev.tempora.internal.completion.AsyncCompletions;
import dev.tempora.internal.coordinator.Outbox;
import dev.tempora.internal.coordinator.RunnerCache;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import dev.tempora.internal.coordinator.WorkflowTaskHooks;
import dev.tempora.internal.coordinator.WorkflowTaskProcessor;
import dev.tempora.internal.coordinator.WorkflowTaskQueue;
import dev.tempora.internal.http.HttpApi;
import dev.tempora.internal.observe.EmfMetrics;
import dev.tempora.internal.observe.SwitchableMetrics;
import dev.tempora.internal.observe.TemporaMetrics;
import dev.tempora.internal.schedules.ScheduleEngine;
import dev.tempora.internal.schedules.ScheduleService;
import dev.tempora.internal.worker.ActivityRegistry;
import dev.tempora.internal.worker.ActivityTaskExecutor;
import dev.tempora.internal.worker.AttemptOutcomes;
import dev.tempora.internal.worker.LocalActivityExecutor;
import dev.tempora.internal.worker.RegistryWorker;
import dev.tempora.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The engine wired to AWS: the DynamoDB store, the SQS queues, timers on SQS and EventBridge
 * Scheduler, and the coordinator core. The coordinator Lambda, the activity workers, the AWS
 * client and the devserver all build one of these; they differ only in which parts they use.
 */
public final class AwsRuntime {

  /** The clients the runtime talks through; endpoints are the clients' business (AWS or local). */
  public record Clients(DynamoDbClient dynamoDb, SqsClient sqs, SchedulerClient scheduler, LambdaClient lambda) {}

  public final AwsConfig config;
  public final Clients clients;
  public final InstantSource clock;
  public final DynamoDbHistoryStore store;
  public final DynamoDbHeartbeatStore heartbeats;
  public final SqsWorkflowTaskQueue workflowTasks;
  public final SqsActivityTaskQueue activityTasks;
  public final AwsTimerService timers;
  public final TimerForwarder timerForwarder;
  /** Re-dispatches what the table's stream shows was committed (ADR 8). */
  public final StreamRelay streamRelay;
  public final LargeBodies largeBodies;
  public final WorkflowRegistry workflows = new WorkflowRegistry();
  /** Checks client requests against the registered types and the served task queues. */
  public final RequestValidator validator;
  /** The registered workflow types as data, for clients without the code (published by the coordinator). */
  public final DynamoDbWorkflowCatalog catalog;
  public final ActivityRegistry activities = new ActivityRegistry();
  public final RunnerCache cache;
  public final WorkflowTaskProcessor processor;
  public final ActivityTaskExecutor executor;
  /** Async activity completion (ADR 19): task tokens, outside outcomes, deadlines while a token is held. */
  public final AsyncCompletions completions;
  /** Backoff and dead-lettering for the queue consumers. */
  public final SqsRedelivery redelivery;
  /**
   * Where the engine's metrics go (issue 15): EMF lines on stdout in Lambda ({@link #fromEnvironment}),
   * the embedded stack's sink on the devserver, nowhere by default.
   */
  public final SwitchableMetrics metrics = new SwitchableMetrics();
  private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
  /** Describes runs of the configured namespace for the coordinator's describe invocations. */
  private final WorkflowService describer;
  /** Schedules (ADR 14): items in the table, a Scheduler schedule each, ticks and firings on the schedules queue. */
  public final DynamoDbScheduleStore scheduleStore;
  public final AwsScheduleTicker scheduleTicker;
  public final ScheduleEngine scheduleEngine;
  public final ScheduleService schedules;
  public final ScheduleMessages scheduleMessages;

  public AwsRuntime(AwsConfig config, Clients clients, InstantSource clock, WorkflowTaskHooks hooks) {
    this.config = config;
    this.clients = clients;
    this.clock = clock;
    validator = new RequestValidator(workflows, config.servedTaskQueues());
    catalog = new DynamoDbWorkflowCatalog(clients.dynamoDb(), config.tableName(), config.namespace());
    // Expiry times count on this clock too: the system's on Lambda (DynamoDB's TTL reads real time),
    // the stack's on the dev server, whose TTL stand-in reads that clock (moved by advanceClock).
    Clock ttlClock = clock.withZone(ZoneOffset.UTC);
    store = new DynamoDbHistoryStore(clients.dynamoDb(), config.tableName(), config.retention(), ttlClock);
    heartbeats = new DynamoDbHeartbeatStore(clients.dynamoDb(), config.tableName(),
        DynamoDbHistoryStore.DEFAULT_RETENTION, ttlClock);
    TemporaMetrics temporaMetrics = new TemporaMetrics(metrics);
    largeBodies = new DynamoDbLargeBodies(clients.dynamoDb(), config.tableName(), DynamoDbLargeBodies.DEFAULT_RETENTION,
        ttlClock, temporaMetrics::payloadByReference);
    workflowTasks = new SqsWorkflowTaskQueue(clients.sqs(), queueUrl(config.workflowTaskQueueName()), largeBodies);
    activityTasks = new SqsActivityTaskQueue(clients.sqs(), taskQueue -> queueUrl(config.activityQueueName(taskQueue)),
        clock, largeBodies);
    String timersUrl = queueUrl(config.timersQueueName());
    String timersArn = clients.sqs().getQueueAttributes(b -> b.queueUrl(timersUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    timers = new AwsTimerService(clients.sqs(), timersUrl, clients.scheduler(), config.scheduleGroup(), timersArn,
        config.schedulerRoleArn(), clock);
    timerForwarder = new TimerForwarder(clients.sqs(), timersUrl, workflowTasks, clock);
    streamRelay = new StreamRelay(store, workflowTasks);
    cache = new RunnerCache(config.runnerCacheSize());
    Outbox outbox = new Outbox(store, activityTasks, timers, heartbeats);
    processor = new WorkflowTaskProcessor(store, workflows, cache, outbox,
        clock, hooks, config.deadlockMillis(), config.servedTaskQueues());
    processor.metrics(temporaMetrics);
    redelivery = new SqsRedelivery(clients.sqs(), this::queueUrl);
    completions = new AsyncCompletions(config.namespace(), store, heartbeats,
        new AttemptOutcomes(workflowTasks, activityTasks, clock, heartbeats, temporaMetrics), timers, clock,
        DynamoDbTaskTokenKey.tokens(System.getenv(), clients.dynamoDb(), config.tableName()));
    processor.onActivityDeadlines(completions::takeDeadlines);
    executor = new ActivityTaskExecutor(activities, workflowTasks, activityTasks, heartbeats, clock, completions,
        temporaMetrics);
    // Local activities run inside the coordinator's invocation, with the activities its WorkerSetup registered.
    processor.localActivities(new LocalActivityExecutor(activities));
    describer = new WorkflowService(config.namespace(), store, workflowTasks, NO_QUERIES, NO_WAITING, clock,
        UUID::randomUUID, validator).activityProgress(heartbeats);
    // Children start, and other workflows are signalled, through the path of a client's requests.
    outbox.connect(new WorkflowService(config.namespace(), store, workflowTasks, NO_QUERIES, NO_WAITING, clock,
        UUID::randomUUID, validator, heartbeats::runClosed));
    // The schedules queue is looked up when first used: a deployment without schedules never needs it.
    Supplier<String> schedulesUrl = () -> queueUrl(config.schedulesQueueName());
    scheduleStore = new DynamoDbScheduleStore(clients.dynamoDb(), config.tableName());
    scheduleTicker = new AwsScheduleTicker(clients.scheduler(), config.scheduleGroup(), config.schedulerRoleArn(),
        () -> queueArn(schedulesUrl.get()), () -> queueArn(queueUrl(config.schedulesQueueName() + "-dlq")), clock);
    scheduleEngine = new ScheduleEngine(config.namespace(), scheduleStore, scheduleTicker, describer, clock);
    outbox.onClose(scheduleEngine::runClosed);
    schedules = new ScheduleService(config.namespace(), scheduleStore, scheduleTicker, scheduleEngine, describer,
        validator, clock);
    scheduleMessages = new ScheduleMessages(config.namespace(), scheduleStore, scheduleTicker, scheduleEngine, schedules,
        clients.sqs(), schedulesUrl, clock);
  }

  private String queueArn(String url) {
    return clients.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
  }

  /**
   * Publishes what this runtime's worker registered (workflow types, their handlers, the served
   * task queues) for clients without the code, unless the table has this deployment's catalog
   * already. The coordinator calls it when it starts; returns whether it wrote.
   */
  public boolean publishCatalog() {
    return catalog.publish(WorkflowCatalog.of(workflows, config.servedTaskQueues()));
  }

  /** The runtime a Lambda handler builds from its environment variables and default clients. */
  public static AwsRuntime fromEnvironment() {
    AwsConfig config = AwsConfig.fromEnvironment(System.getenv());
    AwsRuntime runtime = new AwsRuntime(config, new Clients(DynamoDbClient.create(), SqsClient.create(),
        SchedulerClient.create(), LambdaClient.create()), InstantSource.system(), WorkflowTaskHooks.NONE);
    runtime.metrics.set(EmfMetrics.stdout());
    RegistryWorker.loadSetup(config.workerSetupClass()).configure(runtime.worker());
    return runtime;
  }

  public Worker worker() {
    return new RegistryWorker(workflows, activities);
  }

  /**
   * A client: writes runs and messages directly, queries through the coordinator function. It
   * checks requests against this runtime's registered workflow types and served task queues.
   */
  public WorkflowClient client() {
    return client(new PollingResultWaiter(Duration.ofSeconds(1)));
  }

  /** A client that waits for results its own way (the devserver's test backend skips time). */
  public WorkflowClient client(ResultWaiter waiter) {
    return client(waiter, workflowTasks);
  }

  /** A client that also sends through its own queue port (a test backend waits after each send). */
  public WorkflowClient client(ResultWaiter waiter,
      WorkflowTaskQueue sends) {
    WorkflowService service = new WorkflowService(config.namespace(), store, sends,
        new LambdaQueryHandler(clients.lambda(), config.coordinatorFunctionName()), waiter, clock, UUID::randomUUID,
        validator, heartbeats::runClosed).activityProgress(heartbeats);
    return new WorkflowClientImpl(service, schedules, completions.withResults(sends), workflows.dataConverter());
  }

  /**
   * The client operations for handlers that run with the workflow code registered (the HTTP API,
   * event-triggered starts): queries replay in this process, as the coordinator's own query
   * invocations do, instead of a second hop through Lambda Invoke.
   */
  public WorkflowService localService() {
    return new WorkflowService(config.namespace(), store, workflowTasks, processor::query,
        new PollingResultWaiter(Duration.ofMillis(500)), clock, UUID::randomUUID, validator, heartbeats::runClosed)
        .activityProgress(heartbeats);
  }

  /** The HTTP API over this runtime (the API Gateway handler and the devserver serve it). */
  public HttpApi httpApi() {
    return new HttpApi(localService(), schedules, completions);
  }

  /**
   * The HTTP API for an operator's process outside the deployment ({@code tempora ui}): as {@link
   * #httpApi()} when this process registered the workflow code; without it, queries go to the
   * coordinator function as a client's do, and starts and signals are checked against the
   * published catalog ({@code validator.withCatalog}).
   */
  public HttpApi operatorHttpApi() {
    if (!workflows.types().isEmpty()) return httpApi();
    WorkflowService service = new WorkflowService(config.namespace(), store, workflowTasks,
        new LambdaQueryHandler(clients.lambda(), config.coordinatorFunctionName()),
        new PollingResultWaiter(Duration.ofMillis(500)), clock, UUID::randomUUID, validator, heartbeats::runClosed)
        .activityProgress(heartbeats);
    return new HttpApi(service, schedules, completions);
  }

  /**
   * For the activity workers: re-sends a message whose {@code notBefore} is still ahead (a backoff
   * longer than SQS's 15-minute delay) to the queue it came from; true if it was deferred.
   */
  public boolean deferIfEarly(String sourceQueueArn, String body, String notBefore) {
    String queueName = sourceQueueArn.substring(sourceQueueArn.lastIndexOf(':') + 1);
    return SqsDelayedDelivery.deferIfEarly(clients.sqs(), queueUrl(queueName), body, notBefore, null, clock);
  }

  /** The run's description (status, pending activities and timers, task failure) from the table. */
  public WorkflowDescription describe(String namespace, String workflowId) {
    WorkflowService service = namespace.equals(config.namespace()) ? describer
        : new WorkflowService(namespace, store, workflowTasks, NO_QUERIES, NO_WAITING, clock, UUID::randomUUID,
            validator).activityProgress(heartbeats);
    return service.describe(workflowId);
  }

  private static final QueryHandler NO_QUERIES = (run, name, args) -> {
    throw new UnsupportedOperationException("the describe service answers no queries");
  };
  private static final ResultWaiter NO_WAITING = (closed, timeout) -> {
    throw new UnsupportedOperationException("the describe service waits for no results");
  };

  /** Queue URLs are looked up once per queue name (GetQueueUrl), then cached for the container. */
  public String queueUrl(String queueName) {
    return queueUrls.computeIfAbsent(queueName, n -> clients.sqs().getQueueUrl(b -> b.queueName(n)).queueUrl());
  }
}
