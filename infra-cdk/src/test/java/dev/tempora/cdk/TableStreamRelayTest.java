package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The table's stream feeds the stream relay: which records, how batched and retried, where failures go. */
class TableStreamRelayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EngineFixture f;
  private static String table;
  private static Map<String, Object> mapping;

  @BeforeAll
  static void synth() {
    f = EngineFixture.get();
    table = f.json.id(f.engine.table());
    List<String> streamMappings = f.json.idsOfType("AWS::Lambda::EventSourceMapping").stream()
        .filter(id -> f.json.properties(id).get("StartingPosition") != null).toList();
    assertEquals(1, streamMappings.size());
    mapping = f.json.properties(streamMappings.get(0));
  }

  @Test
  void theRelayConsumesTheTablesStreamThroughItsAliasFromTheOldestRecord() {
    assertEquals(Map.of("Fn::GetAtt", List.of(table, "StreamArn")), mapping.get("EventSourceArn"));
    assertEquals("TRIM_HORIZON", mapping.get("StartingPosition"));
    String target = TemplateJson.render(mapping.get("FunctionName"));
    String alias = f.json.id(f.engine.engineFunctions().stream()
        .filter(x -> x.getNode().getId().equals("StreamRelay")).findFirst().orElseThrow().alias());
    assertTrue(target.contains(alias) && target.endsWith(":live"), target);
  }

  @Test
  void batchesAreSplitAndRetriedThenFailuresGoToAnAlarmedRetainedDeadLetterQueue() {
    assertEquals(100, mapping.get("BatchSize"));
    assertEquals(1, mapping.get("MaximumBatchingWindowInSeconds"));
    assertEquals(true, mapping.get("BisectBatchOnFunctionError"));
    assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
    assertEquals(10, mapping.get("MaximumRetryAttempts"));
    String dlq = f.json.id(f.engine.deadLetterQueues().get("table-stream DLQ"));
    assertEquals(Map.of("OnFailure", Map.of("Destination", Map.of("Fn::GetAtt", List.of(dlq, "Arn")))),
        mapping.get("DestinationConfig"));
    assertEquals("tt-table-stream-dlq", f.json.properties(dlq).get("QueueName"));
    assertEquals(14 * 86400, f.json.properties(dlq).get("MessageRetentionPeriod"));
    assertEquals("Retain", f.json.resource(dlq).get("DeletionPolicy"));
    f.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ApproximateNumberOfMessagesVisible",
        "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(dlq, "QueueName"))))));
  }

  @Test
  void onlyNewRunsClosingBatchesAndTtlDeletionsInvokeTheRelay() throws Exception {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> filters = (List<Map<String, Object>>) ((Map<String, Object>) mapping.get("FilterCriteria"))
        .get("Filters");
    List<JsonNode> patterns = new ArrayList<>();
    for (Map<String, Object> filter : filters) {
      patterns.add(JSON.readTree((String) filter.get("Pattern")));
    }
    assertEquals(List.of(
        JSON.readTree("{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"Keys\":{\"sk\":{\"S\":[{\"prefix\":\"run#\"}]}}}}"),
        JSON.readTree("{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"closes\":{\"BOOL\":[true]}}}}"),
        JSON.readTree("{\"eventName\":[\"REMOVE\"],\"userIdentity\":{\"type\":[\"Service\"],"
            + "\"principalId\":[\"dynamodb.amazonaws.com\"]}}")), patterns);
  }

  @Test
  void theRelayIsAlarmedWhenItFallsAMinuteBehind() {
    f.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "IteratorAge",
        "Namespace", "AWS/Lambda", "Statistic", "Maximum", "Threshold", 60000, "EvaluationPeriods", 3,
        "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", f.json.id(f.engine.streamRelayFunction()))))));
  }

  @Test
  void theRelayStartsAfterTheQueuesAndTheGrantsItsInitializationAndMappingNeed() {
    @SuppressWarnings("unchecked")
    List<String> dependsOn = (List<String>) f.json.resource(f.json.id(f.engine.streamRelayFunction())).get("DependsOn");
    assertTrue(dependsOn.contains(f.json.id(f.engine.workflowTaskQueue())), String.valueOf(dependsOn));
    // Lambda checks the stream permissions when the mapping is created: the policy comes first
    // (mapping → alias → version → function → policy).
    assertTrue(dependsOn.contains(f.json.id(f.engine.streamRelayFunction().getRole().getNode().findChild("DefaultPolicy"))));
  }
}
