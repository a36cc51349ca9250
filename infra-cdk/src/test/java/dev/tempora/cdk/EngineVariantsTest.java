package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;

/** Defaults and options the main fixture does not use: a customer-managed key, a derived prefix, no event starts. */
class EngineVariantsTest {
  private static Stack stack;
  private static Key key;
  private static TemporaEngine engine;
  private static Template t;
  private static TemplateJson json;

  @BeforeAll
  static void synth() {
    App app = new App();
    stack = new Stack(app, "Variant");
    key = Key.Builder.create(stack, "TableKey").enableKeyRotation(true).build();
    engine = new TemporaEngine(stack, "Engine", TemporaEngineProps.builder()
        .code(Code.fromAsset(EngineFixture.dummyAsset().toString()))
        .tableEncryptionKey(key)
        .tableRemovalPolicy(RemovalPolicy.DESTROY)
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
        software.amazon.awscdk.assertions.Match.objectLike(Map.of("TEMPORA_QUEUE_PREFIX", prefix, "TEMPORA_NAMESPACE", "default")))));
  }

  @Test
  void withoutEventStartsThereIsNoRuleNoStartFunctionAndNoWorkerSetupVariable() {
    t.resourceCountIs("AWS::Events::Rule", 0);
    t.resourceCountIs("AWS::Lambda::Function", 5);
    assertNull(engine.eventStartFunction());
    for (String id : json.idsOfType("AWS::Lambda::Function")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) json.properties(id).get("Environment"))
          .get("Variables");
      assertNull(env.get("TEMPORA_WORKER_SETUP"), "ServiceLoader finds the setup when no class is named");
    }
  }
}
