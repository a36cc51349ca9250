package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;


/** The HTTP API with IAM on every route, the EventBridge start rules, and the dashboard. */
class ApiAndEventsTest {
  private static EngineFixture f;
  private static Template t;

  @BeforeAll
  static void synth() {
    f = EngineFixture.get();
    t = f.template;
  }

  @Test
  void everyClientOperationIsARouteRequiringIamAuthorization() {
    Set<String> expected = Set.of(
        "POST /workflows", "GET /workflows", "GET /workflows/{workflowId}", "GET /workflows/{workflowId}/result",
        "GET /workflows/{workflowId}/history", "POST /workflows/{workflowId}/signal-with-start", "POST /workflows/{workflowId}/signals/{signalName}",
        "POST /workflows/{workflowId}/queries/{queryName}", "POST /workflows/{workflowId}/cancel",
        "POST /workflows/{workflowId}/terminate", "POST /schedules", "GET /schedules", "GET /schedules/{scheduleId}",
        "PUT /schedules/{scheduleId}", "DELETE /schedules/{scheduleId}", "POST /schedules/{scheduleId}/pause",
        "POST /schedules/{scheduleId}/unpause", "POST /schedules/{scheduleId}/trigger",
        "POST /schedules/{scheduleId}/backfill", "GET /workflow-count",
        "POST /workflows/{workflowId}/updates/{updateName}", "POST /activities/complete", "POST /activities/fail",
        "POST /activities/heartbeat", "POST /activities/cancel");
    Set<String> routes = new TreeSet<>();
    String integration = f.json.idsOfType("AWS::ApiGatewayV2::Integration").get(0);
    for (String id : f.json.idsOfType("AWS::ApiGatewayV2::Route")) {
      Map<String, Object> p = f.json.properties(id);
      assertEquals("AWS_IAM", p.get("AuthorizationType"), String.valueOf(p.get("RouteKey")));
      assertEquals("integrations/${" + integration + "}", TemplateJson.render(p.get("Target")));
      routes.add((String) p.get("RouteKey"));
    }
    assertEquals(new TreeSet<>(expected), routes);
  }

  @Test
  void everyRouteTheHttpApiServesIsARouteOfTheDeployedApi() throws java.io.IOException {
    // The sdk's HTTP API declares its routes as .add("METHOD", "/path", handler); API Gateway answers
    // 404 for any route it does not know, so each one must be deployed (read from the sdk's sources:
    // this module does not depend on the runtime). The dead-letter routes are left out: they are
    // served by the devserver and `tempora ui` only (ADR 26), the Lambda has no DLQ permissions.
    java.util.regex.Pattern add = java.util.regex.Pattern.compile("\\.add\\(\"(GET|POST|PUT|DELETE|PATCH)\",\\s*\"([^\"]+)\"");
    Set<String> served = new TreeSet<>();
    java.nio.file.Path http = java.nio.file.Path.of("../sdk/src/main/java/dev/tempora/internal/http");
    try (var files = java.nio.file.Files.list(http)) {
      for (java.nio.file.Path file : files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.getFileName().toString().equals("DeadLetterRoutes.java")).toList()) {
        java.util.regex.Matcher m = add.matcher(java.nio.file.Files.readString(file));
        while (m.find()) {
          served.add(m.group(1) + " " + m.group(2));
        }
      }
    }
    assertTrue(served.size() > 20, "found the sdk's routes: " + served);
    Set<String> deployed = new TreeSet<>();
    EngineApi.ROUTES.forEach(r -> deployed.add(r.routeKey()));
    assertEquals(served, deployed);
  }

  @Test
  void routesGoToTheHttpHandlerAliasWithPayloadFormat2() {
    t.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
    t.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP"));
    t.resourceCountIs("AWS::ApiGatewayV2::Integration", 1);
    String alias = f.json.id(f.engine.engineFunctions().stream()
        .filter(x -> x.getNode().getId().equals("HttpApiHandler")).findFirst().orElseThrow().alias());
    t.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of("IntegrationType", "AWS_PROXY",
        "PayloadFormatVersion", "2.0", "IntegrationUri", Map.of("Ref", alias)));
    // API Gateway may invoke the alias (one permission per route), and nothing else is granted to it.
    for (String id : f.json.idsOfType("AWS::Lambda::Permission")) {
      Map<String, Object> p = f.json.properties(id);
      String principal = (String) p.get("Principal");
      assertTrue(Set.of("apigateway.amazonaws.com", "events.amazonaws.com").contains(principal), principal);
      if (principal.equals("apigateway.amazonaws.com")) {
        assertEquals(alias, TemplateJson.render(p.get("FunctionName")));
      }
    }
  }

  @Test
  void defaultStageAutoDeploysAndWritesAccessLogs() {
    t.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
        "StageName", "$default",
        "AutoDeploy", true,
        "AccessLogSettings", Map.of(
            "DestinationArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("TemporaHttpApiAccessLogs.*"), "Arn")),
            "Format", Match.stringLikeRegexp(".*\\$context\\.identity\\.userArn.*\\$context\\.routeKey.*"))));
  }

  @Test
  void eachEventStartIsARuleWhoseTargetCarriesTheBindingAndTheWholeEvent() throws Exception {
    t.resourceCountIs("AWS::Events::Rule", 1);
    String alias = f.json.id(f.engine.engineFunctions().stream()
        .filter(x -> x.getNode().getId().equals("EventStarts")).findFirst().orElseThrow().alias());
    String dlq = f.json.id(f.engine.deadLetterQueues().get("event-starts DLQ"));
    t.hasResourceProperties("AWS::Events::Rule", Map.of(
        "EventPattern", Map.of("source", List.of("shop"), "detail-type", List.of("OrderPlaced")),
        "State", "ENABLED",
        "Targets", List.of(Map.of(
            "Arn", Map.of("Ref", alias),
            "DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt", List.of(dlq, "Arn"))),
            "RetryPolicy", Map.of("MaximumEventAgeInSeconds", 86400, "MaximumRetryAttempts", 185),
            "InputTransformer", Match.objectLike(Map.of("InputPathsMap", Map.of("f1", "$")))))));
    @SuppressWarnings("unchecked")
    Map<String, Object> target = ((List<Map<String, Object>>) f.json.properties(f.json.idsOfType("AWS::Events::Rule").get(0))
        .get("Targets")).get(0);
    @SuppressWarnings("unchecked")
    String template = (String) ((Map<String, Object>) target.get("InputTransformer")).get("InputTemplate");
    // What EventBridge sends, with a sample event in place of the whole-event placeholder.
    JsonNode input = new ObjectMapper().readTree(template.replace("<f1>", "{\"id\":\"e-1\",\"detail\":{}}"));
    assertEquals("OrderWorkflow", input.get("workflowType").asText());
    assertEquals("default", input.get("taskQueue").asText());
    assertEquals("order-", input.get("workflowIdPrefix").asText());
    assertEquals("e-1", input.get("event").get("id").asText());
    assertEquals(List.of("workflowType", "taskQueue", "workflowIdPrefix", "event"),
        iterableToList(input.fieldNames()));
  }

  @Test
  void startsThatFailInTheFunctionGoToTheSameDeadLetterQueue() {
    String dlq = f.json.id(f.engine.deadLetterQueues().get("event-starts DLQ"));
    t.resourceCountIs("AWS::Lambda::EventInvokeConfig", 1);
    t.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
        "FunctionName", Map.of("Ref", f.json.id(f.engine.eventStartFunction())),
        "MaximumRetryAttempts", 2,
        "DestinationConfig", Map.of("OnFailure", Map.of("Destination", Map.of("Fn::GetAtt", List.of(dlq, "Arn"))))));
    // EventBridge itself may send undeliverable events there, from this rule only.
    t.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
        Match.objectLike(Map.of("Effect", "Allow", "Action", "sqs:SendMessage",
            "Principal", Map.of("Service", "events.amazonaws.com"),
            "Resource", Map.of("Fn::GetAtt", List.of(dlq, "Arn")),
            "Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", Map.of("Fn::GetAtt", List.of(
                f.json.idsOfType("AWS::Events::Rule").get(0), "Arn")))))))))));
  }

  @Test
  void dashboardShowsQueuesDeadLettersFunctionsAndTheTable() throws Exception {
    t.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    String body = new ObjectMapper().writeValueAsString(
        f.json.properties(f.json.idsOfType("AWS::CloudWatch::Dashboard").get(0)).get("DashboardBody"));
    for (String metric : List.of("ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage", "Errors",
        "Throttles", "Duration", "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits", "ReadThrottleEvents",
        "WriteThrottleEvents", "5xx", "4xx", "IteratorAge")) {
      assertTrue(body.contains(metric), "dashboard lacks " + metric);
    }
    for (String label : List.of("workflow-tasks DLQ", "timers DLQ", "activities-gpu DLQ", "event-starts DLQ",
        "table-stream DLQ", "WorkflowTasks", "ActivitiesGpu", "StreamRelay")) {
      assertTrue(body.contains(label), "dashboard lacks " + label);
    }
  }

  private static List<String> iterableToList(Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
