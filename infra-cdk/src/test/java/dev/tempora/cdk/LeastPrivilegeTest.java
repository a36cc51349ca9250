package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.lambda.Function;


/**
 * Each function's role, exactly: which actions on which resource. An added or widened grant fails
 * here, so every permission is one a handler uses (the reasons are in TemporaEngine's wiring).
 */
class LeastPrivilegeTest {
  private static final Set<String> LOGS = Set.of("logs:CreateLogStream", "logs:PutLogEvents");
  private static final Set<String> CONSUME = Set.of("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility",
      "sqs:GetQueueUrl", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
  private static final Set<String> SEND = Set.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl");
  private static final Set<String> RESOLVE = Set.of("sqs:GetQueueUrl", "sqs:GetQueueAttributes");
  private static final Set<String> TABLE_READ = Set.of("dynamodb:GetItem", "dynamodb:Query");
  private static final Set<String> TABLE_WRITE = Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
      "dynamodb:UpdateItem", "dynamodb:DeleteItem");
  private static final Set<String> TABLE_ACTIVITY = Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");
  private static final Set<String> TABLE_STREAM_RELAY = Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem",
      "dynamodb:DeleteItem", "dynamodb:BatchWriteItem");
  private static final Set<String> STREAM_READ = Set.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
      "dynamodb:GetShardIterator", "dynamodb:ListStreams");
  private static final Set<String> QUERY = Set.of("dynamodb:Query");

  private static EngineFixture f;
  private static String table;
  private static String workflowTasks;
  private static String workflowTasksDlq;
  private static String timers;
  private static String defaultQueue;
  private static String gpuQueue;

  @BeforeAll
  static void synth() {
    f = EngineFixture.get();
    table = f.json.id(f.engine.table());
    workflowTasks = f.json.id(f.engine.workflowTaskQueue());
    workflowTasksDlq = f.json.id(f.engine.deadLetterQueues().get("workflow-tasks DLQ"));
    timers = f.json.id(f.engine.timersQueue());
    defaultQueue = f.json.id(f.engine.activityQueue("default"));
    gpuQueue = f.json.id(f.engine.activityQueue("gpu"));
  }

  private static Map<String, Set<String>> expected(String function, Object... resourceActions) {
    Map<String, Set<String>> out = new TreeMap<>();
    Function fn = f.engine.functions().get(function);
    out.put(f.json.id(fn.getNode().getScope().getNode().findChild("Logs")), LOGS);
    for (int i = 0; i < resourceActions.length; i += 2) {
      @SuppressWarnings("unchecked")
      Set<String> actions = (Set<String>) resourceActions[i + 1];
      out.merge((String) resourceActions[i], actions, (a, b) -> {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
      });
    }
    return out;
  }

  private static Map<String, Set<String>> actual(String function) {
    return f.json.grants(f.engine.functions().get(function).getRole());
  }

  @Test
  void coordinatorWritesHistoryDispatchesActivitiesAndTimersAndManagesItsSchedules() {
    String schedules = "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/tt-timers/*";
    assertEquals(expected("WorkflowTasks",
        // CONSUME includes ChangeMessageVisibility, which it also calls to back a message off.
        workflowTasks, CONSUME,
        // An undecodable message goes to the DLQ by its own hand.
        workflowTasksDlq, SEND,
        table, TABLE_WRITE,
        // Parked runs, retried on a new deployment.
        "${" + table + "}/index/parked", QUERY,
        defaultQueue, SEND,
        gpuQueue, SEND,
        timers, SEND,
        schedules, Set.of("scheduler:CreateSchedule", "scheduler:DeleteSchedule"),
        f.json.id(f.engine.schedulerRole()), Set.of("iam:PassRole")), actual("WorkflowTasks"));
    // PassRole only towards Scheduler.
    Map<String, Object> passRole = f.json.statements(f.engine.coordinatorFunction().getRole()).stream()
        .filter(s -> "iam:PassRole".equals(s.get("Action"))).findFirst().orElseThrow();
    assertEquals(Map.of("StringEquals", Map.of("iam:PassedToService", "scheduler.amazonaws.com")), passRole.get("Condition"));
  }

  @Test
  void timerForwarderTouchesQueuesOnlyNeverTheTable() {
    assertEquals(expected("Timers",
        timers, CONSUME,
        timers, SEND,
        // An undecodable timer message goes to the DLQ by the handler's own hand.
        f.json.id(f.engine.deadLetterQueues().get("timers DLQ")), SEND,
        workflowTasks, SEND), actual("Timers"));
  }

  @Test
  void scheduleFunctionKeepsItemsStartsActionsAndManagesOnlyRecurringSchedules() {
    String scheduleQueue = f.json.id(f.engine.schedulesQueue());
    String recurring = "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/tt-timers/s-*";
    assertEquals(expected("Schedules",
        scheduleQueue, CONSUME,
        // Firings go back on the schedules queue with their SQS delays.
        scheduleQueue, SEND,
        // An undecodable schedule message goes to the DLQ by the handler's own hand.
        f.json.id(f.engine.deadLetterQueues().get("schedules DLQ")), SEND,
        table, TABLE_WRITE,
        workflowTasks, SEND,
        timers, RESOLVE,
        // The repair path: re-put or delete the Scheduler schedule of an item a crash left unsynced.
        recurring, Set.of("scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule"),
        f.json.id(f.engine.schedulerRole()), Set.of("iam:PassRole")), actual("Schedules"));
  }

  @Test
  void schedulerDeliversOnlyToTheTimersAndSchedulesQueues() {
    assertEquals(new TreeSet<>(List.of(timers, f.json.id(f.engine.schedulesQueue()),
            f.json.id(f.engine.deadLetterQueues().get("schedules DLQ")))),
        f.json.grants(f.engine.schedulerRole()).keySet());
  }

  @Test
  void queryFunctionOnlyReads() {
    assertEquals(expected("Queries",
        table, TABLE_READ,
        workflowTasks, RESOLVE,
        timers, RESOLVE), actual("Queries"));
  }

  @Test
  void httpHandlerWritesRunsListsThroughTheIndexSendsToWorkflowsAndInvokesOnlyTheQueryAlias() {
    assertEquals(expected("HttpApiHandler",
        table, TABLE_WRITE,
        "${" + table + "}/index/visibility", Set.of("dynamodb:Query"),
        workflowTasks, SEND,
        // Async activity completion: a failure from outside is retried on the activity's queue.
        defaultQueue, SEND,
        gpuQueue, SEND,
        timers, RESOLVE,
        // The schedule routes write each schedule's recurring Scheduler schedule, aimed at the schedules queue.
        "arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/tt-timers/s-*",
        Set.of("scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule"),
        f.json.id(f.engine.schedulerRole()), Set.of("iam:PassRole"),
        f.json.id(f.engine.schedulesQueue()), RESOLVE,
        f.json.id(f.engine.deadLetterQueues().get("schedules DLQ")), RESOLVE), actual("HttpApiHandler"));
  }

  @Test
  void eventStartFunctionStartsRunsAndDeadLettersFailures() {
    String dlq = f.json.id(f.engine.deadLetterQueues().get("event-starts DLQ"));
    assertEquals(expected("EventStarts",
        table, TABLE_WRITE,
        workflowTasks, SEND,
        timers, RESOLVE,
        dlq, SEND), actual("EventStarts"));
  }

  @Test
  void streamRelayReadsTheStreamRepairsRunsResendsStartsAndDeletesExpiredRunsButAppendsNothing() {
    String streamDlq = f.json.id(f.engine.deadLetterQueues().get("table-stream DLQ"));
    assertEquals(expected("StreamRelay",
        table + ".StreamArn", STREAM_READ,
        table, TABLE_STREAM_RELAY,
        workflowTasks, SEND,
        timers, RESOLVE,
        streamDlq, SEND), actual("StreamRelay"));
    // Spelled out: no PutItem (it appends no history), and ListStreams only on this stream, not on "*".
    assertTrue(!actual("StreamRelay").get(table).contains("dynamodb:PutItem"));
  }

  @Test
  void activityWorkersUseOnlyTheirOwnQueueAndCannotRewriteHistory() {
    assertEquals(expected("ActivitiesDefault",
        defaultQueue, CONSUME,
        defaultQueue, SEND,
        f.json.id(f.engine.deadLetterQueues().get("activities-default DLQ")), SEND,
        table, TABLE_ACTIVITY,
        workflowTasks, SEND,
        timers, RESOLVE), actual("ActivitiesDefault"));
    assertEquals(expected("ActivitiesGpu",
        gpuQueue, CONSUME,
        gpuQueue, SEND,
        f.json.id(f.engine.deadLetterQueues().get("activities-gpu DLQ")), SEND,
        table, TABLE_ACTIVITY,
        workflowTasks, SEND,
        timers, RESOLVE), actual("ActivitiesGpu"));
    // Spelled out: no Query, no DeleteItem, nothing on the other task queue.
    Map<String, Set<String>> gpu = actual("ActivitiesGpu");
    assertTrue(!gpu.get(table).contains("dynamodb:DeleteItem") && !gpu.get(table).contains("dynamodb:Query"));
    assertTrue(!gpu.containsKey(defaultQueue));
  }

  @Test
  void noRoleHasAManagedPolicyOrAnUnscopedResource() {
    for (String role : f.json.idsOfType("AWS::IAM::Role")) {
      assertEquals(null, f.json.properties(role).get("ManagedPolicyArns"), role);
    }
    for (IRole role : List.of(f.engine.schedulerRole())) {
      assertTrue(!f.json.grants(role).containsKey("*"));
    }
    for (Function fn : f.engine.functions().values()) {
      for (String resource : f.json.grants(fn.getRole()).keySet()) {
        assertTrue(!resource.equals("*"), fn.getNode().getPath() + " has a grant on *");
        assertTrue(!resource.contains("*") || resource.endsWith(":schedule/tt-timers/*")
            || resource.endsWith(":schedule/tt-timers/s-*"), resource);
      }
    }
  }
}
