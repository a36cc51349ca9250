package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;


/**
 * Defaults and options the main fixture does not use: a customer-managed key, a destroyable table,
 * a derived prefix, no event starts, the user's alarm topic and another alarm action, a shorter
 * queue retention, and the default limits.
 */
class EngineVariantsTest {
  private static Stack stack;
  private static Key key;
  private static Topic opsTopic;
  private static Topic pagerTopic;
  private static TemporaEngine engine;
  private static Template t;
  private static TemplateJson json;

  @BeforeAll
  static void synth() {
    App app = new App();
    stack = new Stack(app, "Variant");
    key = Key.Builder.create(stack, "TableKey").enableKeyRotation(true).build();
    opsTopic = new Topic(stack, "Ops");
    pagerTopic = new Topic(stack, "Pager");
    engine = new TemporaEngine(stack, "Engine", TemporaEngineProps.builder()
        .code(Code.fromAsset(EngineFixture.dummyAsset().toString()))
        .tableEncryptionKey(key)
        .tableRemovalPolicy(RemovalPolicy.DESTROY)
        .alarmTopic(opsTopic)
        .alarmAction(new SnsAction(pagerTopic))
        .queueRetention(Duration.days(2))
        .build());
    t = Template.fromStack(stack);
    json = new TemplateJson(stack, t.toJSON());
  }

  @Test
  void customerManagedKeyEncryptsTheTableAndFunctionsGetJustTheKeyUseTheyNeed() {
    t.hasResourceProperties("AWS::DynamoDB::Table", Map.of("SSESpecification", Map.of("SSEEnabled", true, "SSEType", "KMS",
        "KMSMasterKeyId", Map.of("Fn::GetAtt", List.of(json.id(key), "Arn")))));
    String keyId = json.id(key);
    Set<String> queries = json.grants(engine.queryFunction().getRole()).get(keyId);
    assertEquals(Set.of("kms:Decrypt"), queries);
    Set<String> coordinator = json.grants(engine.coordinatorFunction().getRole()).get(keyId);
    assertTrue(coordinator.containsAll(Set.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*")), String.valueOf(coordinator));
    assertNull(json.grants(engine.timersFunction().getRole()).get(keyId), "the timer forwarder never reads the table");
    Set<String> relay = json.grants(engine.streamRelayFunction().getRole()).get(keyId);
    assertTrue(relay.containsAll(Set.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*")), String.valueOf(relay));
  }

  @Test
  void aDestroyableTableStillLeavesTheWorkflowTaskQueueAndEveryDeadLetterQueueBehind() {
    Set<String> retained = new TreeSet<>();
    retained.add(json.id(engine.workflowTaskQueue()));
    engine.deadLetterQueues().values().forEach(q -> retained.add(json.id(q)));
    assertEquals(6, retained.size()); // workflow tasks, and the DLQs of it, timers, schedules, default activities, the stream
    for (String id : json.idsOfType("AWS::SQS::Queue")) {
      String expected = retained.contains(id) ? "Retain" : "Delete";
      assertEquals(expected, json.resource(id).get("DeletionPolicy"), id);
      assertEquals(expected, json.resource(id).get("UpdateReplacePolicy"), id);
    }
  }

  @Test
  void everyAlarmNotifiesTheUsersTopicAndTheirOtherActionAndNoTopicIsMade() {
    t.resourceCountIs("AWS::SNS::Topic", 2);
    t.resourceCountIs("AWS::KMS::Key", 1); // the table's
    assertEquals(opsTopic, engine.alarmTopic());
    List<Map<String, String>> actions = List.of(Map.of("Ref", json.id(opsTopic)), Map.of("Ref", json.id(pagerTopic)));
    List<String> alarms = json.idsOfType("AWS::CloudWatch::Alarm");
    // 5 DLQs, 7 functions, the oldest workflow task, the relay, the engine metrics' three
    assertEquals(5 + 2 * 7 + 1 + 1 + 3, alarms.size());
    for (String alarm : alarms) {
      assertEquals(actions, json.properties(alarm).get("AlarmActions"), alarm);
      assertEquals(actions, json.properties(alarm).get("OKActions"), alarm);
    }
  }

  @Test
  void defaultLimits() {
    Map<String, Integer> reserved = new TreeMap<>();
    for (Map.Entry<String, Function> e : engine.functions().entrySet()) {
      reserved.put(e.getKey(), (Integer) json.properties(json.id(e.getValue())).get("ReservedConcurrentExecutions"));
    }
    assertEquals(Map.of("WorkflowTasks", 100, "Timers", 20, "Schedules", 20, "Queries", 20, "HttpApiHandler", 100,
        "StreamRelay", 20, "ActivitiesDefault", 100), reserved);
    t.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
        "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 100, "ThrottlingBurstLimit", 200)));
    t.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ApproximateAgeOfOldestMessage",
        "Threshold", 300));
    t.hasResourceProperties("AWS::Lambda::Function", Map.of("Environment", Map.of("Variables",
        Match.objectLike(Map.of("TEMPORA_RETENTION_DAYS", "30",
            "TEMPORA_TASK_QUEUES", "default")))));
    // The configured queue retention, still shorter than every DLQ's 14 days.
    t.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", engine.names().workflowTaskQueue(),
        "MessageRetentionPeriod", 2 * 86400));
    t.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", engine.names().workflowTaskDeadLetterQueue(),
        "MessageRetentionPeriod", 14 * 86400));
  }

  @Test
  void destroyableTableIsNotDeletionProtected() {
    t.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Delete",
        "Properties", Map.of("DeletionProtectionEnabled", false)));
  }

  @Test
  void prefixIsDerivedFromTheConstructPathAndQueuesUseIt() {
    String prefix = engine.names().queuePrefix();
    assertTrue(prefix.startsWith("Variant-Engine-") && prefix.endsWith("-") && prefix.length() <= 32, prefix);
    t.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", prefix + "workflow-tasks.fifo"));
    t.hasResourceProperties("AWS::SQS::Queue", Map.of("QueueName", prefix + "activities-default"));
    t.hasResourceProperties("AWS::Lambda::Function", Map.of("Environment", Map.of("Variables",
        Match.objectLike(Map.of("TEMPORA_QUEUE_PREFIX", prefix, "TEMPORA_NAMESPACE", "default")))));
  }

  @Test
  void withoutEventStartsThereIsNoRuleNoStartFunctionAndNoWorkerSetupVariable() {
    t.resourceCountIs("AWS::Events::Rule", 0);
    t.resourceCountIs("AWS::Lambda::Function", 7);
    assertNull(engine.eventStartFunction());
    for (String id : json.idsOfType("AWS::Lambda::Function")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) json.properties(id).get("Environment"))
          .get("Variables");
      assertNull(env.get("TEMPORA_WORKER_SETUP"), "ServiceLoader finds the setup when no class is named");
    }
  }
}
