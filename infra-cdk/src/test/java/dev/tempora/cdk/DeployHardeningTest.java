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
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * Issue 9, finding 10 (deploy): alarms notify someone, the queues that may hold the only copy of
 * work survive the stack, dead letters outlive their source's retention, the API and every function
 * are throttled, and throttles and a waiting workflow task raise alarms.
 */
class DeployHardeningTest {
  private static EngineFixture f;
  private static Template t;

  @BeforeAll
  static void synth() {
    f = EngineFixture.get();
    t = f.template;
  }

  @Test
  void everyAlarmNotifiesTheAlarmTopicOnAlarmAndOnOk() {
    String topic = f.json.id(f.engine.alarmTopic());
    List<String> alarms = f.json.idsOfType("AWS::CloudWatch::Alarm");
    // 7 DLQs, errors and throttles of 9 functions, the oldest workflow task, the stream relay's iterator age,
    // and the engine metrics' three (workflow task failures, activity failure rate, timer lateness).
    assertEquals(7 + 2 * 9 + 1 + 1 + 3, alarms.size());
    assertEquals(alarms.size(), f.engine.alarms().size());
    for (String alarm : alarms) {
      Map<String, Object> p = f.json.properties(alarm);
      assertEquals(List.of(Map.of("Ref", topic)), p.get("AlarmActions"), alarm);
      assertEquals(List.of(Map.of("Ref", topic)), p.get("OKActions"), alarm);
    }
  }

  @Test
  void theAlarmTopicMadeByTheEngineIsEncryptedWithAKeyCloudWatchMayUse() {
    String topic = f.json.id(f.engine.alarmTopic());
    t.resourceCountIs("AWS::SNS::Topic", 1);
    t.resourceCountIs("AWS::KMS::Key", 1);
    String key = f.json.idsOfType("AWS::KMS::Key").get(0);
    assertEquals(Map.of("Fn::GetAtt", List.of(key, "Arn")), f.json.properties(topic).get("KmsMasterKeyId"));
    assertEquals(true, f.json.properties(key).get("EnableKeyRotation"));
    // The AWS-managed aws/sns key would not do: CloudWatch must be let use the key, for this account only.
    t.hasResourceProperties("AWS::KMS::Key", Map.of("KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(
        Map.of("Sid", "AllowCloudWatchAlarmsToEncrypt", "Effect", "Allow",
            "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
            "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"), "Resource", "*",
            "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")))))))));
    // A topic policy replaces the default one: CloudWatch of this account may publish; plain HTTP is refused.
    t.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of("Topics", List.of(Map.of("Ref", topic)),
        "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
            Match.objectLike(Map.of("Effect", "Deny", "Action", "sns:Publish",
                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
            Map.of("Sid", "AllowCloudWatchAlarmsToPublish", "Effect", "Allow",
                "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                "Action", "sns:Publish", "Resource", Map.of("Ref", topic),
                "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")))))))));
  }

  @Test
  void theWorkflowTaskQueueAndEveryDeadLetterQueueAreRetainedWhenTheStackIsDeleted() {
    Set<String> retained = new TreeSet<>();
    retained.add(f.json.id(f.engine.workflowTaskQueue()));
    f.engine.deadLetterQueues().values().forEach(q -> retained.add(f.json.id(q)));
    assertEquals(8, retained.size());
    for (String id : f.json.idsOfType("AWS::SQS::Queue")) {
      Map<String, Object> r = f.json.resource(id);
      String expected = retained.contains(id) ? "Retain" : "Delete";
      assertEquals(expected, r.get("DeletionPolicy"), id);
      assertEquals(expected, r.get("UpdateReplacePolicy"), id);
    }
  }

  @Test
  void everyDeadLetterQueueKeepsAMessageLongerThanItsSourceDoes() {
    // SQS redrive: a standard DLQ keeps a message's first enqueue time, so the DLQ must keep it longer.
    Map<String, Integer> checked = new TreeMap<>();
    for (String id : f.json.idsOfType("AWS::SQS::Queue")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> redrive = (Map<String, Object>) f.json.properties(id).get("RedrivePolicy");
      if (redrive != null) {
        int source = (Integer) f.json.properties(id).get("MessageRetentionPeriod");
        int deadLetters = (Integer) f.json.properties(TemplateJson.render(redrive.get("deadLetterTargetArn")))
            .get("MessageRetentionPeriod");
        assertTrue(deadLetters > source, id + ": DLQ keeps " + deadLetters + " s, source " + source + " s");
        checked.put(id, source);
      }
    }
    assertEquals(5, checked.size()); // workflow tasks, timers, schedules, two activity queues
    assertEquals(Set.of(4 * 86400), Set.copyOf(checked.values()));
    // The other DLQs' sources are the stream (24 h) and EventBridge's retries (at most 24 h).
    for (String label : List.of("table-stream DLQ", "event-starts DLQ")) {
      assertEquals(14 * 86400, f.json.properties(f.json.id(f.engine.deadLetterQueues().get(label)))
          .get("MessageRetentionPeriod"), label);
    }
  }

  @Test
  void theApiStageThrottlesEveryRoute() {
    t.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("StageName", "$default",
        "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 80)));
    // No route setting overrides the default.
    for (String id : f.json.idsOfType("AWS::ApiGatewayV2::Stage")) {
      assertEquals(null, f.json.properties(id).get("RouteSettings"));
    }
  }

  @Test
  void everyFunctionHasReservedConcurrency() {
    for (Map.Entry<String, Function> e : f.engine.functions().entrySet()) {
      Object reserved = f.json.properties(f.json.id(e.getValue())).get("ReservedConcurrentExecutions");
      assertTrue(reserved instanceof Integer i && i >= 1, e.getKey() + " has reserved concurrency " + reserved);
    }
  }

  @Test
  void everyFunctionHasAThrottlesAlarm() {
    for (Function fn : f.engine.functions().values()) {
      t.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "Throttles", "Namespace", "AWS/Lambda",
          "Statistic", "Sum", "Threshold", 1, "ComparisonOperator", "GreaterThanOrEqualToThreshold",
          "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", f.json.id(fn))))));
    }
    assertEquals(f.engine.functions().size(), f.json.idsOfType("AWS::CloudWatch::Alarm").stream()
        .filter(id -> "Throttles".equals(f.json.properties(id).get("MetricName"))).count());
  }

  @Test
  void theOldestWorkflowTaskRaisesAnAlarmAtTheConfiguredAge() {
    Queue queue = f.engine.workflowTaskQueue();
    List<String> ageAlarms = f.json.idsOfType("AWS::CloudWatch::Alarm").stream()
        .filter(id -> "ApproximateAgeOfOldestMessage".equals(f.json.properties(id).get("MetricName"))).toList();
    assertEquals(1, ageAlarms.size());
    Map<String, Object> p = f.json.properties(ageAlarms.get(0));
    assertEquals("AWS/SQS", p.get("Namespace"));
    assertEquals(List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(f.json.id(queue), "QueueName")))),
        p.get("Dimensions"));
    assertEquals(600, p.get("Threshold")); // the fixture's 10 minutes
    assertEquals("Maximum", p.get("Statistic"));
    assertEquals("GreaterThanOrEqualToThreshold", p.get("ComparisonOperator"));
  }
}
