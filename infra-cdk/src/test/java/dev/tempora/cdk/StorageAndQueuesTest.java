package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;


/** The table, the queues with their DLQs and alarms, and the Scheduler group and role. */
class StorageAndQueuesTest {
  private static EngineFixture f;
  private static Template t;

  @BeforeAll
  static void synth() {
    f = EngineFixture.get();
    t = f.template;
  }

  @Test
  void tableMatchesTheRuntimesLayout() {
    t.resourceCountIs("AWS::DynamoDB::Table", 1);
    // Keys, indexes, TTL and stream as TemporaTable.create makes them on the embedded stack (docs/adr/0005).
    t.hasResource("AWS::DynamoDB::Table", Map.of(
        "DeletionPolicy", "Retain",
        "Properties", Map.of(
            "BillingMode", "PAY_PER_REQUEST",
            "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
                Map.of("AttributeName", "sk", "KeyType", "RANGE")),
            "AttributeDefinitions", Match.arrayEquals(List.of(
                Map.of("AttributeName", "pk", "AttributeType", "S"), Map.of("AttributeName", "sk", "AttributeType", "S"),
                Map.of("AttributeName", "vis", "AttributeType", "S"), Map.of("AttributeName", "vsk", "AttributeType", "S"),
                Map.of("AttributeName", "parked", "AttributeType", "S"),
                Map.of("AttributeName", "parkedAt", "AttributeType", "S"))),
            "GlobalSecondaryIndexes", List.of(Map.of(
                "IndexName", "visibility",
                "KeySchema", List.of(Map.of("AttributeName", "vis", "KeyType", "HASH"),
                    Map.of("AttributeName", "vsk", "KeyType", "RANGE")),
                "Projection", Map.of("ProjectionType", "INCLUDE", "NonKeyAttributes", List.of("namespace", "workflowId",
                    "runId", "status", "workflowType", "taskQueue", "startTime", "closeTime", "taskFailure", "sa"))),
                Map.of(
                "IndexName", "parked",
                "KeySchema", List.of(Map.of("AttributeName", "parked", "KeyType", "HASH"),
                    Map.of("AttributeName", "parkedAt", "KeyType", "RANGE")),
                "Projection", Map.of("ProjectionType", "INCLUDE", "NonKeyAttributes", List.of("deployment")))),
            "StreamSpecification", Map.of("StreamViewType", "NEW_IMAGE"),
            "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
            "TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true),
            "DeletionProtectionEnabled", true,
            // KMS encryption with the AWS-managed key: enabled, no customer key named.
            "SSESpecification", Map.of("SSEEnabled", true, "KMSMasterKeyId", Match.absent()))));
  }

  @Test
  void queuesHaveTheNamesTheRuntimeDerivesFromItsPrefix() {
    // AwsConfig: {prefix}workflow-tasks.fifo, {prefix}timers, {prefix}activities-{taskQueue}; DLQs as the devserver names them.
    List<String> names = f.json.idsOfType("AWS::SQS::Queue").stream()
        .map(id -> (String) f.json.properties(id).get("QueueName")).sorted().toList();
    assertEquals(List.of("tt-activities-default", "tt-activities-default-dlq", "tt-activities-gpu", "tt-activities-gpu-dlq",
        "tt-event-starts-dlq", "tt-schedules", "tt-schedules-dlq", "tt-table-stream-dlq", "tt-timers", "tt-timers-dlq",
        "tt-workflow-tasks-dlq.fifo",
        "tt-workflow-tasks.fifo"), names);
  }

  @Test
  void workflowTaskQueueIsFifoWithExplicitDedupIdsAndPerWorkflowThroughput() {
    t.hasResourceProperties("AWS::SQS::Queue", Map.of(
        "QueueName", "tt-workflow-tasks.fifo",
        "FifoQueue", true,
        "ContentBasedDeduplication", false,
        "DeduplicationScope", "messageGroup",
        "FifoThroughputLimit", "perMessageGroupId",
        "VisibilityTimeout", 60, // 6 x the coordinator's 10 s: a crashed task is redelivered within a minute
        "MessageRetentionPeriod", 4 * 86400,
        "SqsManagedSseEnabled", true,
        "RedrivePolicy", Map.of("deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(
            f.json.id(f.engine.deadLetterQueues().get("workflow-tasks DLQ")), "Arn")), "maxReceiveCount", 4)));
    t.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "tt-workflow-tasks-dlq.fifo", "FifoQueue", true,
        "MessageRetentionPeriod", 14 * 86400));
  }

  @Test
  void everyWorkQueueRedrivesToItsOwnDeadLetterQueue() {
    Map<String, String> expected = Map.of(
        "tt-workflow-tasks.fifo", "tt-workflow-tasks-dlq.fifo",
        "tt-timers", "tt-timers-dlq",
        "tt-schedules", "tt-schedules-dlq",
        "tt-activities-default", "tt-activities-default-dlq",
        "tt-activities-gpu", "tt-activities-gpu-dlq");
    Map<String, String> nameById = f.json.idsOfType("AWS::SQS::Queue").stream()
        .collect(Collectors.toMap(id -> id, id -> (String) f.json.properties(id).get("QueueName")));
    Map<String, String> actual = new TreeMap<>();
    for (String id : nameById.keySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> redrive = (Map<String, Object>) f.json.properties(id).get("RedrivePolicy");
      if (redrive != null) {
        assertEquals(4, redrive.get("maxReceiveCount"), nameById.get(id));
        actual.put(nameById.get(id), nameById.get(TemplateJson.render(redrive.get("deadLetterTargetArn"))));
      }
    }
    assertEquals(new TreeMap<>(expected), actual);
  }

  @Test
  void visibilityTimeoutsAreSixTimesTheConsumersTimeout() {
    t.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "tt-timers", "VisibilityTimeout", 180));
    t.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "tt-activities-default", "VisibilityTimeout", 1800));
    t.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", "tt-activities-gpu", "VisibilityTimeout", 5400));
  }

  @Test
  void everyQueueIsEncryptedAndRefusesPlainHttp() {
    for (String id : f.json.idsOfType("AWS::SQS::Queue")) {
      assertEquals(true, f.json.properties(id).get("SqsManagedSseEnabled"), id);
    }
    t.resourceCountIs("AWS::SQS::QueuePolicy", 12);
    t.allResourcesProperties("AWS::SQS::QueuePolicy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
        Match.objectLike(Map.of("Effect", "Deny", "Action", "sqs:*", "Principal", Map.of("AWS", "*"),
            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
  }

  @Test
  void everyDeadLetterQueueHasAnAlarmOnVisibleMessages() {
    Map<String, String> dlqIds = f.engine.deadLetterQueues().values().stream()
        .collect(Collectors.toMap(q -> f.json.id(q), q -> ""));
    assertEquals(7, dlqIds.size());
    int alarmed = 0;
    for (String alarm : f.json.idsOfType("AWS::CloudWatch::Alarm")) {
      Map<String, Object> p = f.json.properties(alarm);
      if ("ApproximateNumberOfMessagesVisible".equals(p.get("MetricName"))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> dim = ((List<Map<String, Object>>) p.get("Dimensions")).get(0);
        assertEquals("QueueName", dim.get("Name"));
        String queue = TemplateJson.render(dim.get("Value"));
        assertEquals(true, dlqIds.containsKey(queue), "alarm " + alarm + " watches a DLQ, not " + queue);
        assertEquals("GreaterThanOrEqualToThreshold", p.get("ComparisonOperator"));
        assertEquals(1, p.get("Threshold"));
        assertEquals("notBreaching", p.get("TreatMissingData"));
        alarmed++;
      }
    }
    assertEquals(7, alarmed);
  }

  @Test
  void scheduleGroupAndTheRoleSchedulerAssumes() {
    t.resourceCountIs("AWS::Scheduler::ScheduleGroup", 1);
    t.hasResourceProperties("AWS::Scheduler::ScheduleGroup", Map.of("Name", "tt-timers"));
    String group = f.json.id(f.engine.scheduleGroup());
    t.hasResourceProperties("AWS::IAM::Role", Map.of("AssumeRolePolicyDocument", Map.of("Statement", List.of(Map.of(
        "Action", "sts:AssumeRole",
        "Effect", "Allow",
        "Principal", Map.of("Service", "scheduler.amazonaws.com"),
        "Condition", Map.of(
            "StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")),
            "ArnEquals", Map.of("aws:SourceArn", Map.of("Fn::GetAtt", List.of(group, "Arn")))))))));
    // It may send to the timers queue, and schedule ticks to the schedules queue and its DLQ, and do nothing else.
    assertEquals(Map.of(f.json.id(f.engine.timersQueue()), Set.of("sqs:SendMessage"),
        f.json.id(f.engine.schedulesQueue()), Set.of("sqs:SendMessage"),
        f.json.id(f.engine.deadLetterQueues().get("schedules DLQ")), Set.of("sqs:SendMessage")),
        f.json.grants(f.engine.schedulerRole()));
  }
}
