package dev.tempora.cdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.UniqueResourceNameOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.scheduler.ScheduleGroup;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Tempora on AWS for one jar: the DynamoDB table with its stream, the SQS queues with their
 * dead-letter queues, EventBridge Scheduler for long timers, the coordinator, stream relay and
 * activity functions, the HTTP API, EventBridge rules that start workflows, alarms that notify, and a
 * dashboard.
 *
 * <pre>{@code
 * TemporaEngine engine = new TemporaEngine(stack, "Tempora", TemporaEngineProps.builder()
 *     .code(Code.fromAsset("target/my-workflows-lambda.jar"))
 *     .workerSetupClass("com.example.MySetup")
 *     .activityTaskQueue(ActivityTaskQueue.of("default"))
 *     .activityTaskQueue(ActivityTaskQueue.builder("gpu").memorySize(10240).timeout(Duration.minutes(15))
 *         .reservedConcurrency(5).batchSize(1).build())
 *     .alarmTopic(opsTopic)                      // default: an encrypted topic of its own, alarmTopic()
 *     .retention(Duration.days(90))              // closed runs' items deleted after it; default 30 days
 *     .build());
 * }</pre>
 *
 * <p>Functions (all Java 21, SnapStart, invoked through their {@value EngineFunction#ALIAS} alias):
 * <ul>
 *   <li>{@code WorkflowTasks} — the coordinator: consumes the FIFO workflow-task queue, writes
 *       history, sends activity tasks and timers, creates and deletes long-timer schedules;
 *   <li>{@code Timers} — forwards due timers from the timers queue into their workflow's FIFO group;
 *   <li>{@code Queries} — answers query and describe invocations by replaying workflow code
 *       (the function {@code TEMPORA_COORDINATOR_FUNCTION} names); reads the table only;
 *   <li>{@code HttpApiHandler} — the HTTP API handler; starts, signals, cancels, terminates, lists, and
 *       answers queries by replaying in its own process;
 *   <li>{@code EventStarts} — the EventBridge rule target (only when event starts are configured);
 *   <li>{@code StreamRelay} — consumes the table's stream (filtered, see {@link TableStreamRelay}):
 *       re-sends start messages whose send failed, repairs run records after a close, deletes a
 *       closed run's items when its retention ends;
 *   <li>{@code Activities<queue>} — one per activity task queue.
 * </ul>
 * Each has exactly the grants its handler uses (see {@link TablePermissions} and the wiring below),
 * and reserved concurrency (props per function, with defaults), so one runaway function cannot take
 * the account's concurrency from the others; an SQS consumer's event source is capped at it.
 *
 * <p>Hardening for operation:
 * <ul>
 *   <li>every alarm (dead letters, errors and throttles of each function, the oldest workflow
 *       task's age, the stream relay's iterator age) notifies {@link #alarmTopic()} (an encrypted
 *       topic made here unless {@code alarmTopic} or {@code alarmActions} are given) on ALARM and OK;
 *   <li>the workflow-task queue and every dead-letter queue are retained when the stack is deleted,
 *       whatever the table's removal policy: they may hold the only copy of work;
 *   <li>work queues keep a message {@code queueRetention} (4 days), their dead-letter queues 14 days;
 *   <li>the HTTP API's stage throttles all routes ({@code apiThrottleRateLimit}/{@code apiThrottleBurstLimit});
 *   <li>every function gets {@value #ENV_TASK_QUEUES} (the activity task queues this stack serves)
 *       and {@value #ENV_RETENTION_DAYS} ({@code retention}, 30 days by default).
 * </ul>
 */
public final class TemporaEngine extends Construct {
  /** The environment contract of the runtime (AwsConfig in the sdk). */
  public static final String ENV_NAMESPACE = "TEMPORA_NAMESPACE";
  public static final String ENV_TABLE = "TEMPORA_TABLE";
  public static final String ENV_QUEUE_PREFIX = "TEMPORA_QUEUE_PREFIX";
  public static final String ENV_SCHEDULE_GROUP = "TEMPORA_SCHEDULE_GROUP";
  public static final String ENV_SCHEDULER_ROLE_ARN = "TEMPORA_SCHEDULER_ROLE_ARN";
  /** Set this to {@link #queryAlias()}'s ARN in users' functions that query through a WorkflowClient. */
  public static final String ENV_COORDINATOR_FUNCTION = "TEMPORA_COORDINATOR_FUNCTION";
  public static final String ENV_RUNNER_CACHE_SIZE = "TEMPORA_RUNNER_CACHE_SIZE";
  public static final String ENV_WORKER_SETUP = "TEMPORA_WORKER_SETUP";
  /** The activity task queues this stack serves, comma-separated: a start on any other is refused. */
  public static final String ENV_TASK_QUEUES = "TEMPORA_TASK_QUEUES";
  /** Days a closed run and all its items are kept. */
  public static final String ENV_RETENTION_DAYS = "TEMPORA_RETENTION_DAYS";
  /** The variables the engine sets from its props: {@code environment} props may not set them. */
  static final Set<String> ENGINE_VARIABLES = Set.of(ENV_NAMESPACE, ENV_TABLE, ENV_QUEUE_PREFIX, ENV_SCHEDULE_GROUP,
      ENV_SCHEDULER_ROLE_ARN, ENV_COORDINATOR_FUNCTION, ENV_RUNNER_CACHE_SIZE, ENV_WORKER_SETUP, ENV_TASK_QUEUES,
      ENV_RETENTION_DAYS);

  /** Longest default queue prefix; leaves room for the longest suffixes within SQS's 80 characters. */
  private static final int DEFAULT_PREFIX_LENGTH = 32;
  private static final Duration SHORT_TIMEOUT = Duration.seconds(30);
  /** API Gateway gives up on an HTTP API integration after 30 s; the function should answer first. */
  private static final Duration HTTP_TIMEOUT = Duration.seconds(29);
  private static final int SMALL_MEMORY = 512;
  private static final int DEFAULT_MEMORY = 1024;
  /** FIFO event sources take at most 10 messages per batch. */
  private static final int WORKFLOW_TASK_BATCH = 10;

  private final TemporaEngineProps props;
  private final DeploymentNames names;
  private final EngineTable table;
  private final TablePermissions tablePermissions;
  private final WorkQueue workflowTasks;
  private final WorkQueue timers;
  private final WorkQueue schedules;
  private final Map<String, WorkQueue> activityQueues = new LinkedHashMap<>();
  private final TimerScheduling scheduling;
  private final EngineFunction coordinator;
  private final EngineFunction timerForwarder;
  private final EngineFunction scheduleHandler;
  private final EngineFunction queries;
  private final EngineFunction httpHandler;
  private final Map<String, EngineFunction> activityFunctions = new LinkedHashMap<>();
  private final EngineFunction eventStartHandler;
  private final EventStartRules eventStartRules;
  private final EngineFunction streamRelayFunction;
  private final TableStreamRelay streamRelay;
  private final EngineApi api;
  private final EngineDashboard dashboard;
  private final EngineMetricAlarms metricAlarms;
  private final AlarmNotifications notifications;
  private final List<Alarm> alarms;

  public TemporaEngine(Construct scope, String id, TemporaEngineProps props) {
    super(scope, id);
    this.props = props;
    names = new DeploymentNames(props.queuePrefix() != null ? props.queuePrefix() : defaultPrefix());
    props.activityTaskQueues().forEach(q -> names.checkTaskQueue(q.name()));

    table = new EngineTable(this, "History", props.tableEncryptionKey(), props.tableRemovalPolicy());
    tablePermissions = new TablePermissions(table, props.tableEncryptionKey());

    // The workflow-task queue may hold the only copy of a start or a signal: kept when the stack goes.
    workflowTasks = new WorkQueue(this, "WorkflowTaskQueue", new WorkQueue.Settings(names.workflowTaskQueue(),
        names.workflowTaskDeadLetterQueue(), true, props.coordinatorTimeout(), props.maxReceiveCount(),
        props.queueRetention(), true));
    workflowTasks.alarmOnAge(props.workflowTaskAgeAlarmThreshold(), "The oldest workflow task in "
        + names.workflowTaskQueue() + " has waited " + props.workflowTaskAgeAlarmThreshold().toSeconds() + " s or more: "
        + "the coordinator is behind, throttled or failing. See its errors and throttles, and the parked runs.");
    timers = new WorkQueue(this, "TimerQueue", new WorkQueue.Settings(names.timersQueue(), names.timersDeadLetterQueue(),
        false, SHORT_TIMEOUT, props.maxReceiveCount(), props.queueRetention(), false));
    for (ActivityTaskQueue q : props.activityTaskQueues()) {
      activityQueues.put(q.name(), new WorkQueue(this, "ActivityQueue" + constructIdPart(q.name()),
          new WorkQueue.Settings(names.activityQueue(q.name()), names.activityDeadLetterQueue(q.name()), false,
              q.timeout(), props.maxReceiveCount(), props.queueRetention(), false)));
    }
    schedules = new WorkQueue(this, "ScheduleQueue", new WorkQueue.Settings(names.schedulesQueue(),
        names.schedulesDeadLetterQueue(), false, SHORT_TIMEOUT, props.maxReceiveCount(), props.queueRetention(), false));
    scheduling = new TimerScheduling(this, "LongTimers", names.scheduleGroup(), timers.queue());
    // Schedule ticks: Scheduler delivers to the schedules queue, and what it cannot deliver to its DLQ.
    scheduling.allowDeliveryTo(schedules.queue());
    scheduling.allowDeliveryTo(schedules.deadLetters().queue());

    coordinator = function("WorkflowTasks", Handlers.WORKFLOW_TASKS,
        "Tempora coordinator: workflow tasks from the FIFO queue", props.coordinatorMemorySize(),
        props.coordinatorTimeout(), props.coordinatorReservedConcurrency(), Map.of());
    // The event source's consume grant includes sqs:ChangeMessageVisibility, which the coordinator also
    // calls itself to back a message off after a transient error.
    coordinator.consume(workflowTasks.queue(), WORKFLOW_TASK_BATCH, null,
        eventSourceConcurrency(props.coordinatorReservedConcurrency()));
    tablePermissions.grant(coordinator.role(), TablePermissions.READ_WRITE);
    // Parked runs are retried when a new deployment registers code.
    tablePermissions.grantParkedQuery(coordinator.role());
    // A message that cannot be decoded at all goes to the DLQ by the coordinator's own hand.
    workflowTasks.deadLetters().queue().grantSendMessages(coordinator.role());
    activityQueues.values().forEach(q -> q.queue().grantSendMessages(coordinator.role()));
    timers.queue().grantSendMessages(coordinator.role());
    scheduling.grantManageSchedules(coordinator.role());

    timerForwarder = function("Timers", Handlers.TIMERS, "Tempora timers: forwards due timers to their workflow",
        SMALL_MEMORY, SHORT_TIMEOUT, props.timersReservedConcurrency(), Map.of());
    timerForwarder.consume(timers.queue(), 10, null, eventSourceConcurrency(props.timersReservedConcurrency()));
    // Early arrivals (a schedule fires two minutes ahead) go back on the timers queue with the rest of the delay.
    // No table access: timer envelopes (TimerFired, activity timeouts) are small, never sent by reference.
    timers.queue().grantSendMessages(timerForwarder.role());
    workflowTasks.queue().grantSendMessages(timerForwarder.role());
    // Undecodable timer messages are moved to the DLQ by the handler itself (ADR 8).
    timers.deadLetters().queue().grantSendMessages(timerForwarder.role());

    // Schedules (ADR 14): ticks put firings on the schedules queue with SQS delays; firings start the
    // actions' workflows; a tick repairs the Scheduler schedule a crash left out of step with the item.
    scheduleHandler = function("Schedules", Handlers.SCHEDULES, "Tempora schedules: ticks and firings of schedules",
        SMALL_MEMORY, SHORT_TIMEOUT, props.timersReservedConcurrency(), Map.of());
    scheduleHandler.consume(schedules.queue(), 10, null, eventSourceConcurrency(props.timersReservedConcurrency()));
    tablePermissions.grant(scheduleHandler.role(), TablePermissions.READ_WRITE);
    schedules.queue().grantSendMessages(scheduleHandler.role());
    schedules.deadLetters().queue().grantSendMessages(scheduleHandler.role());
    workflowTasks.queue().grantSendMessages(scheduleHandler.role());
    grantResolve(scheduleHandler.role(), timers.queue());
    scheduling.grantManageRecurringSchedules(scheduleHandler.role());

    queries = function("Queries", Handlers.QUERIES, "Tempora queries and describe (replays workflow code)",
        DEFAULT_MEMORY, SHORT_TIMEOUT, props.queriesReservedConcurrency(), Map.of());
    tablePermissions.grant(queries.role(), TablePermissions.READ);
    grantResolve(queries.role(), workflowTasks.queue());
    grantResolve(queries.role(), timers.queue());

    // The HTTP API answers queries by replaying in its own process (it has the user's jar), so it
    // needs table reads, not the query function; that one serves WorkflowClients in users' code.
    httpHandler = function("HttpApiHandler", Handlers.HTTP_API, "Tempora HTTP API", DEFAULT_MEMORY, HTTP_TIMEOUT,
        props.httpApiReservedConcurrency(), Map.of());
    tablePermissions.grant(httpHandler.role(), TablePermissions.READ_WRITE);
    tablePermissions.grantList(httpHandler.role());
    workflowTasks.queue().grantSendMessages(httpHandler.role());
    // Async activity completion: a failure reported through /activities/fail is retried on the activity's queue.
    activityQueues.values().forEach(q -> q.queue().grantSendMessages(httpHandler.role()));
    grantResolve(httpHandler.role(), timers.queue());
    // Schedule routes: the Scheduler schedule of each, aimed at the schedules queue (its ARN and its DLQ's).
    scheduling.grantManageRecurringSchedules(httpHandler.role());
    grantResolve(httpHandler.role(), schedules.queue());
    grantResolve(httpHandler.role(), schedules.deadLetters().queue());

    for (ActivityTaskQueue q : props.activityTaskQueues()) {
      WorkQueue queue = activityQueues.get(q.name());
      // A queue with a package of its own (activityCode) runs it, with its WorkerSetup if it names one.
      TemporaEngineProps.ActivityCode own = props.activityCodes().get(q.name());
      Map<String, String> setup = own != null && own.workerSetupClass() != null
          ? Map.of(ENV_WORKER_SETUP, own.workerSetupClass()) : Map.of();
      EngineFunction worker = function("Activities" + constructIdPart(q.name()), Handlers.ACTIVITIES,
          "Tempora activities of task queue " + q.name(), q.memorySize(), q.timeout(), q.reservedConcurrency(),
          own != null ? own.code() : props.code(), setup);
      worker.consume(queue.queue(), q.batchSize(), q.maxBatchingWindow(), eventSourceConcurrency(q.reservedConcurrency()));
      tablePermissions.grant(worker.role(), TablePermissions.ACTIVITY);
      // Retries with backoff and deferred deliveries go back to the worker's own queue; outcomes to the workflow.
      queue.queue().grantSendMessages(worker.role());
      workflowTasks.queue().grantSendMessages(worker.role());
      // Undecodable activity task messages are moved to the DLQ by the handler itself (ADR 8).
      queue.deadLetters().queue().grantSendMessages(worker.role());
      grantResolve(worker.role(), timers.queue());
      activityFunctions.put(q.name(), worker);
    }

    if (props.eventStarts().isEmpty()) {
      eventStartHandler = null;
      eventStartRules = null;
    } else {
      eventStartRules = new EventStartRules(this, "EventStartRules", names.eventStartDeadLetterQueue());
      eventStartHandler = function("EventStarts", Handlers.EVENT_START, "Tempora: starts workflows from EventBridge events",
          DEFAULT_MEMORY, SHORT_TIMEOUT, props.eventStartsReservedConcurrency(), Map.of());
      // EventBridge invokes asynchronously: a start that still fails after Lambda's retries is kept, not dropped.
      eventStartHandler.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder()
          .onFailure(new SqsDestination(eventStartRules.deadLetters().queue()))
          .retryAttempts(2)
          .maxEventAge(Duration.hours(6))
          .build());
      tablePermissions.grant(eventStartHandler.role(), TablePermissions.READ_WRITE);
      workflowTasks.queue().grantSendMessages(eventStartHandler.role());
      grantResolve(eventStartHandler.role(), timers.queue());
      eventStartRules.bind(props.eventStarts(), eventStartHandler.alias());
    }

    streamRelayFunction = function("StreamRelay", Handlers.STREAM_RELAY,
        "Tempora table stream relay: re-dispatches committed effects, repairs closes, applies retention",
        SMALL_MEMORY, SHORT_TIMEOUT, props.streamRelayReservedConcurrency(), Map.of());
    streamRelay = new TableStreamRelay(this, "TableStream", streamRelayFunction, table, tablePermissions,
        names.tableStreamDeadLetterQueue());
    tablePermissions.grant(streamRelayFunction.role(), TablePermissions.STREAM_RELAY);
    workflowTasks.queue().grantSendMessages(streamRelayFunction.role());
    grantResolve(streamRelayFunction.role(), timers.queue());

    api = new EngineApi(this, "HttpApi", httpHandler.alias(), props.logRetention(), props.apiThrottleRateLimit(),
        props.apiThrottleBurstLimit());
    metricAlarms = new EngineMetricAlarms(this, "EngineMetricAlarms", props.activityFailureRateAlarmPercent(),
        props.timerLatenessAlarmThreshold());
    dashboard = new EngineDashboard(this, "Dashboard", table.table(), workQueues(), deadLetterQueues(), functions(),
        api.stage(), streamRelayFunction.function());
    EngineNagSuppressions.javaRuntime(engineFunctions());
    EngineNagSuppressions.scheduleWildcard(coordinator.role(), names.scheduleGroup());
    EngineNagSuppressions.recurringScheduleWildcard(scheduleHandler.role(), names.scheduleGroup());
    EngineNagSuppressions.recurringScheduleWildcard(httpHandler.role(), names.scheduleGroup());
    if (eventStartRules != null) {
      EngineNagSuppressions.eventDeadLetterQueue(eventStartRules.deadLetters().queue());
    }
    EngineNagSuppressions.streamDeadLetterQueue(streamRelay.deadLetters().queue());
    if (props.tracing()) {
      EngineNagSuppressions.xrayWildcard(engineFunctions());
    }
    // Last, so that every alarm made above notifies.
    notifications = new AlarmNotifications(this, "Alarms", props.alarmTopic(), props.alarmActions());
    alarms = notifications.notifyFromEveryAlarmUnder(this);
  }

  /**
   * Every runtime resolves the workflow-task and timers queues by name when it starts (GetQueueUrl,
   * and the timers queue's ARN for Scheduler targets), even a function that never sends to them.
   */
  private static void grantResolve(IGrantable grantee, IQueue queue) {
    grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("sqs:GetQueueUrl", "sqs:GetQueueAttributes"))
        .resources(List.of(queue.getQueueArn()))
        .build());
  }

  private EngineFunction function(String id, String handler, String description, int memorySize, Duration timeout,
      int reservedConcurrency, Map<String, String> extraEnvironment) {
    return function(id, handler, description, memorySize, timeout, reservedConcurrency, props.code(), extraEnvironment);
  }

  private EngineFunction function(String id, String handler, String description, int memorySize, Duration timeout,
      int reservedConcurrency, Code code, Map<String, String> extraEnvironment) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ENV_NAMESPACE, props.namespace());
    env.put(ENV_TABLE, table.table().getTableName());
    env.put(ENV_QUEUE_PREFIX, names.queuePrefix());
    env.put(ENV_SCHEDULE_GROUP, scheduling.group().getScheduleGroupName());
    env.put(ENV_SCHEDULER_ROLE_ARN, scheduling.role().getRoleArn());
    env.put(ENV_RUNNER_CACHE_SIZE, Integer.toString(props.runnerCacheSize()));
    if (props.workerSetupClass() != null) {
      env.put(ENV_WORKER_SETUP, props.workerSetupClass());
    }
    env.put(ENV_TASK_QUEUES, String.join(",", activityQueues.keySet()));
    env.put(ENV_RETENTION_DAYS, Long.toString(props.retention().toDays().longValue()));
    env.putAll(props.environment());
    env.putAll(extraEnvironment);
    EngineFunction f = new EngineFunction(this, id, new EngineFunction.Settings(handler, description, code,
        memorySize, timeout, reservedConcurrency, env, props.architecture(), props.logRetention(), props.layers(),
        new EngineFunction.Logging(props.logFormat(), props.applicationLogLevel(), props.systemLogLevel()),
        props.tracing()));
    // SnapStart runs the handler's initialization when the version is published, and that resolves the
    // queues by name: they must exist first (their names reach the function only as a prefix string).
    f.function().getNode().addDependency(workflowTasks, timers, schedules);
    activityQueues.values().forEach(q -> f.function().getNode().addDependency(q));
    return f;
  }

  /**
   * The event source's concurrency for a reserved function: no more pollers than the function may
   * run, so SQS does not hand batches to a throttled function (each throttle counts as a receive).
   * Lambda's range is 2..1000 (props validation keeps SQS consumers at 2 or more).
   */
  private static int eventSourceConcurrency(int reservedConcurrency) {
    return Math.min(reservedConcurrency, 1000);
  }

  private String defaultPrefix() {
    String unique = Names.uniqueResourceName(this, UniqueResourceNameOptions.builder()
        .maxLength(DEFAULT_PREFIX_LENGTH - 1).separator("-").build());
    return unique + "-";
  }

  /** "gpu-large" → "GpuLarge": a construct id part from a task queue name. */
  static String constructIdPart(String taskQueue) {
    StringBuilder out = new StringBuilder();
    boolean upper = true;
    for (char c : taskQueue.toCharArray()) {
      if (Character.isLetterOrDigit(c)) {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = true;
      }
    }
    return out.toString();
  }

  // ----------------------------------------------------------------------------- what users reach

  public DeploymentNames names() {
    return names;
  }

  public Table table() {
    return table.table();
  }

  public Queue workflowTaskQueue() {
    return workflowTasks.queue();
  }

  public Queue timersQueue() {
    return timers.queue();
  }

  /** Schedule ticks and firings (ADR 14). */
  public Queue schedulesQueue() {
    return schedules.queue();
  }

  /** The queue of an activity task queue, by task queue name. */
  public Queue activityQueue(String taskQueue) {
    WorkQueue q = activityQueues.get(taskQueue);
    if (q == null) {
      throw new IllegalArgumentException("no activity task queue '" + taskQueue + "' (have " + activityQueues.keySet() + ")");
    }
    return q.queue();
  }

  /** Every dead-letter queue, by label. */
  public Map<String, Queue> deadLetterQueues() {
    Map<String, Queue> out = new LinkedHashMap<>();
    out.put("workflow-tasks DLQ", workflowTasks.deadLetters().queue());
    out.put("timers DLQ", timers.deadLetters().queue());
    out.put("schedules DLQ", schedules.deadLetters().queue());
    activityQueues.forEach((name, q) -> out.put("activities-" + name + " DLQ", q.deadLetters().queue()));
    if (eventStartRules != null) {
      out.put("event-starts DLQ", eventStartRules.deadLetters().queue());
    }
    out.put("table-stream DLQ", streamRelay.deadLetters().queue());
    return Collections.unmodifiableMap(out);
  }

  /** Every queue a function consumes, by label. */
  public Map<String, Queue> workQueues() {
    Map<String, Queue> out = new LinkedHashMap<>();
    out.put("workflow-tasks", workflowTasks.queue());
    out.put("timers", timers.queue());
    out.put("schedules", schedules.queue());
    activityQueues.forEach((name, q) -> out.put("activities-" + name, q.queue()));
    return Collections.unmodifiableMap(out);
  }

  /** Every function, by construct id. */
  public Map<String, Function> functions() {
    Map<String, Function> out = new LinkedHashMap<>();
    for (EngineFunction f : engineFunctions()) {
      out.put(f.getNode().getId(), f.function());
    }
    return Collections.unmodifiableMap(out);
  }

  List<EngineFunction> engineFunctions() {
    List<EngineFunction> all = new ArrayList<>(List.of(coordinator, timerForwarder, scheduleHandler, queries, httpHandler));
    all.addAll(activityFunctions.values());
    if (eventStartHandler != null) {
      all.add(eventStartHandler);
    }
    all.add(streamRelayFunction);
    return all;
  }

  /** The coordinator (workflow tasks); invoke via {@link #coordinatorAlias()}. */
  public Function coordinatorFunction() {
    return coordinator.function();
  }

  public Alias coordinatorAlias() {
    return coordinator.alias();
  }

  public Function timersFunction() {
    return timerForwarder.function();
  }

  /** The function that answers queries and describe (TEMPORA_COORDINATOR_FUNCTION of clients). */
  public Alias queryAlias() {
    return queries.alias();
  }

  public Function queryFunction() {
    return queries.function();
  }

  public Function httpApiFunction() {
    return httpHandler.function();
  }

  public Function activityFunction(String taskQueue) {
    EngineFunction f = activityFunctions.get(taskQueue);
    if (f == null) {
      throw new IllegalArgumentException("no activity task queue '" + taskQueue + "' (have " + activityFunctions.keySet() + ")");
    }
    return f.function();
  }

  /** The EventBridge start function, or null when no event starts are configured. */
  public Function eventStartFunction() {
    return eventStartHandler == null ? null : eventStartHandler.function();
  }

  /** The table stream relay (consumes the table's stream through its alias). */
  public Function streamRelayFunction() {
    return streamRelayFunction.function();
  }

  public TableStreamRelay streamRelay() {
    return streamRelay;
  }

  /** The topic every alarm notifies: the one given, the one made here, or null when only alarm actions were given. */
  public ITopic alarmTopic() {
    return notifications.topic();
  }

  /** Every alarm of the engine; each notifies on ALARM and on OK. */
  public List<Alarm> alarms() {
    return List.copyOf(alarms);
  }

  public ScheduleGroup scheduleGroup() {
    return scheduling.group();
  }

  public Role schedulerRole() {
    return scheduling.role();
  }

  public HttpApi httpApi() {
    return api.api();
  }

  // ------------------------------------------------------------------------------------- grants

  /**
   * Lets {@code grantee} (a producer: a function, a role, a user) run a Tempora {@code WorkflowClient}
   * against this engine directly, without the HTTP API: start, signal, signal-with-start, update,
   * cancel, terminate, describe, result, list and count, and queries. Exactly what the client calls
   * (sdk {@code AwsRuntime.client()}): item reads and writes on the table (never DeleteItem), Query on
   * the visibility index (list), sends to the workflow-task queue, the timers queue's URL and ARN
   * (looked up when the client is built), and Invoke of the query alias (queries replay there). With a
   * customer-managed table key, encrypt and decrypt with it. Give the client {@link #clientEnvironment()}.
   */
  public void grantStartWorkflows(IGrantable grantee) {
    tablePermissions.grant(grantee, TablePermissions.CLIENT);
    tablePermissions.grantList(grantee);
    workflowTasks.queue().grantSendMessages(grantee);
    grantResolve(grantee, timers.queue());
    grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("lambda:InvokeFunction"))
        .resources(List.of(queries.alias().getFunctionArn()))
        .build());
  }

  /**
   * Lets {@code grantee} call every route of the HTTP API ({@code execute-api:Invoke} on this API's
   * default stage, any method and path: the API has only Tempora's routes). Requests must be SigV4
   * signed for the service {@code execute-api} (docs/cdk.md shows curl and Java).
   */
  public void grantInvokeApi(IGrantable grantee) {
    grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("execute-api:Invoke"))
        .resources(List.of(api.api().arnForExecuteApi("*", "/*", EngineApi.STAGE)))
        .build());
    // Path parameters make the route ARNs wildcards; say why on the grantee's policy for cdk-nag users.
    if (grantee.getGrantPrincipal() instanceof IConstruct principal
        && principal.getNode().tryFindChild("DefaultPolicy") instanceof IConstruct policy) {
      EngineNagSuppressions.invokeApiWildcard(policy);
    }
  }

  /**
   * The environment a {@code WorkflowClient} outside the engine builds itself from (the variables the
   * engine's own functions get that a client reads): add it to a producer function, e.g. {@code
   * engine.clientEnvironment().forEach(fn::addEnvironment)}, with {@link #grantStartWorkflows}.
   */
  public Map<String, String> clientEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ENV_NAMESPACE, props.namespace());
    env.put(ENV_TABLE, table.table().getTableName());
    env.put(ENV_QUEUE_PREFIX, names.queuePrefix());
    env.put(ENV_SCHEDULE_GROUP, scheduling.group().getScheduleGroupName());
    env.put(ENV_SCHEDULER_ROLE_ARN, scheduling.role().getRoleArn());
    env.put(ENV_COORDINATOR_FUNCTION, queries.alias().getFunctionArn());
    env.put(ENV_TASK_QUEUES, String.join(",", activityQueues.keySet()));
    env.put(ENV_RETENTION_DAYS, Long.toString(props.retention().toDays().longValue()));
    return Collections.unmodifiableMap(env);
  }

  /** The HTTP API's base URL; every route needs SigV4 (IAM) signing. */
  public String apiUrl() {
    return api.url();
  }

  public EngineDashboard dashboard() {
    return dashboard;
  }

  /** Alarms when a workflow task fails (partial batch failures are no Lambda errors): 1-minute period, 1 datapoint. */
  public Alarm workflowTaskFailuresAlarm() {
    return metricAlarms.workflowTaskFailures();
  }

  /** Alarms when the share of failed activity attempts stays above {@code activityFailureRateAlarmPercent}. */
  public Alarm activityFailureRateAlarm() {
    return metricAlarms.activityFailureRate();
  }

  /** Alarms when timers fire {@code timerLatenessAlarmThreshold} late or later (p99). */
  public Alarm timerLatenessAlarm() {
    return metricAlarms.timerLateness();
  }
}
