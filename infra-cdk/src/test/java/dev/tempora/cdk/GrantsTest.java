package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The grant helpers, exactly: what a producer's WorkflowClient needs (and nothing the engine's own
 * functions have beyond it), and the HTTP API's invoke permission on this API only.
 */
class GrantsTest {
  private static EngineFixture f;

  @BeforeAll
  static void synth() {
    f = EngineFixture.get();
  }

  @Test
  void grantStartWorkflowsGivesAWorkflowClientExactlyWhatItCalls() {
    String table = f.json.id(f.engine.table());
    Map<String, Set<String>> expected = new TreeMap<>(Map.of(
        // Reads, the start transaction's puts, terminate's run update; never DeleteItem or Scan.
        table, Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"),
        // list and count: the visibility index only.
        "${" + table + "}/index/visibility", Set.of("dynamodb:Query"),
        f.json.id(f.engine.workflowTaskQueue()), Set.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
        // The client resolves the timers queue's URL and ARN when it is built, and sends nothing to it.
        f.json.id(f.engine.timersQueue()), Set.of("sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
        // Queries replay in the query function, through its alias only.
        f.json.id(f.engine.queryAlias()), Set.of("lambda:InvokeFunction")));
    assertEquals(expected, f.json.grants(f.producer));
  }

  @Test
  void grantInvokeApiAllowsExecuteApiInvokeOnThisApisStageOnly() {
    assertEquals(Map.of("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${"
            + f.json.id(f.engine.httpApi()) + "}/$default/*/*", Set.of("execute-api:Invoke")),
        f.json.grants(f.apiCaller));
  }

  @Test
  void clientEnvironmentIsTheConfigurationTheEnginesFunctionsRunWithPlusTheQueryAlias() {
    @SuppressWarnings("unchecked")
    Map<String, Object> coordinatorEnv = (Map<String, Object>) ((Map<String, Object>) f.json.properties(
        f.json.id(f.engine.coordinatorFunction())).get("Environment")).get("Variables");
    Map<String, String> client = new TreeMap<>();
    f.engine.clientEnvironment().forEach((k, v) -> client.put(k, TemplateJson.render(f.stack.resolve(v))));
    Map<String, String> expected = new TreeMap<>();
    for (String key : Set.of(TemporaEngine.ENV_NAMESPACE, TemporaEngine.ENV_TABLE, TemporaEngine.ENV_QUEUE_PREFIX,
        TemporaEngine.ENV_SCHEDULE_GROUP, TemporaEngine.ENV_SCHEDULER_ROLE_ARN, TemporaEngine.ENV_TASK_QUEUES,
        TemporaEngine.ENV_RETENTION_DAYS)) {
      expected.put(key, TemplateJson.render(coordinatorEnv.get(key)));
    }
    expected.put(TemporaEngine.ENV_COORDINATOR_FUNCTION, f.json.id(f.engine.queryAlias()));
    assertEquals(expected, client);
  }
}
