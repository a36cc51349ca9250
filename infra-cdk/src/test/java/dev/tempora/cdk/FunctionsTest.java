package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.IQueue;


/** The functions: runtime, handler, sizing, SnapStart, aliases, event sources and the environment contract. */
class FunctionsTest {
  private static EngineFixture f;
  private static Template t;

  @BeforeAll
  static void synth() {
    f = EngineFixture.get();
    t = f.template;
  }

  private record Expected(String handler, int memory, int timeout, Integer reserved) {}

  @Test
  void eachHandlerHasItsOwnJava21SnapStartFunctionSizedAsConfigured() {
    Map<String, Expected> expected = Map.of(
        "WorkflowTasks", new Expected(Handlers.WORKFLOW_TASKS, 1024, 10, 50),
        "Timers", new Expected(Handlers.TIMERS, 512, 30, 20),
        "Schedules", new Expected(Handlers.SCHEDULES, 512, 30, 20),
        "Queries", new Expected(Handlers.QUERIES, 1024, 30, 20),
        "HttpApiHandler", new Expected(Handlers.HTTP_API, 1024, 29, 100),
        "EventStarts", new Expected(Handlers.EVENT_START, 1024, 30, 20),
        "StreamRelay", new Expected(Handlers.STREAM_RELAY, 512, 30, 20),
        "ActivitiesDefault", new Expected(Handlers.ACTIVITIES, 1024, 300, 100),
        "ActivitiesGpu", new Expected(Handlers.ACTIVITIES, 10240, 900, 3));
    t.resourceCountIs("AWS::Lambda::Function", expected.size());
    assertEquals(expected.keySet(), f.engine.functions().keySet());
    expected.forEach((name, e) -> {
      Map<String, Object> p = f.json.properties(f.json.id(f.engine.functions().get(name)));
      assertEquals("java21", p.get("Runtime"), name);
      assertEquals(e.handler(), p.get("Handler"), name);
      assertEquals(e.memory(), p.get("MemorySize"), name);
      assertEquals(e.timeout(), p.get("Timeout"), name);
      assertEquals(e.reserved(), p.get("ReservedConcurrentExecutions"), name);
      assertEquals(Map.of("ApplyOn", "PublishedVersions"), p.get("SnapStart"), name);
      assertEquals(List.of("arm64"), p.get("Architectures"), name);
    });
    assertEquals("dev.tempora.lambda.activity.ActivityTaskHandler", Handlers.ACTIVITIES);
    assertEquals("dev.tempora.lambda.coordinator.TableStreamHandler::handleRequest", Handlers.STREAM_RELAY);
  }

  @Test
  void everyFunctionIsInvokedThroughALiveAliasOnAPublishedVersion() {
    t.resourceCountIs("AWS::Lambda::Version", 9);
    t.resourceCountIs("AWS::Lambda::Alias", 9);
    for (Function fn : f.engine.functions().values()) {
      String id = f.json.id(fn);
      // currentVersion's logical id carries a hash of the function's configuration, so a change publishes anew.
      String versionPattern = id.substring(0, id.length() - 8) + "CurrentVersion[0-9A-Fa-f]+";
      t.hasResourceProperties("AWS::Lambda::Version", Map.of("FunctionName", Map.of("Ref", id)));
      t.hasResourceProperties("AWS::Lambda::Alias", Map.of(
          "Name", "live",
          "FunctionName", Map.of("Ref", id),
          "FunctionVersion", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp(versionPattern), "Version"))));
    }
  }

  @Test
  void queuesFeedTheAliasesWithPartialBatchResponses() {
    t.resourceCountIs("AWS::Lambda::EventSourceMapping", 6); // 5 queues and the table's stream (TableStreamRelayTest)
    Map<String, Object[]> expected = new HashMap<>();
    // queue → function id, batch size, max concurrency (the reserved concurrency, so throttles do not burn receives)
    expected.put(f.json.id(f.engine.workflowTaskQueue()), new Object[] {"WorkflowTasks", 10, 50});
    expected.put(f.json.id(f.engine.timersQueue()), new Object[] {"Timers", 10, 20});
    expected.put(f.json.id(f.engine.schedulesQueue()), new Object[] {"Schedules", 10, 20});
    expected.put(f.json.id(f.engine.activityQueue("default")), new Object[] {"ActivitiesDefault", 10, 100});
    expected.put(f.json.id(f.engine.activityQueue("gpu")), new Object[] {"ActivitiesGpu", 1, 3});
    for (String id : f.json.idsOfType("AWS::Lambda::EventSourceMapping")) {
      Map<String, Object> p = f.json.properties(id);
      if (p.get("StartingPosition") != null) {
        continue; // the stream's mapping
      }
      Object[] e = expected.remove(TemplateJson.render(p.get("EventSourceArn")));
      assertTrue(e != null, "unexpected event source " + p.get("EventSourceArn"));
      assertEquals(List.of("ReportBatchItemFailures"), p.get("FunctionResponseTypes"));
      assertEquals(e[1], p.get("BatchSize"));
      // The mapping names the alias (function name + ":live"), so SnapStart's published version runs.
      String target = TemplateJson.render(p.get("FunctionName"));
      assertTrue(target.endsWith(":live"), target);
      String aliasId = f.json.id(aliasOf((String) e[0]));
      assertTrue(target.contains(aliasId), target + " should reference " + aliasId);
      @SuppressWarnings("unchecked")
      Map<String, Object> scaling = (Map<String, Object>) p.get("ScalingConfig");
      assertEquals(e[2], scaling == null ? null : scaling.get("MaximumConcurrency"));
    }
    assertTrue(expected.isEmpty(), "no event source for " + expected.keySet());
  }

  private static Alias aliasOf(String functionId) {
    return f.engine.engineFunctions().stream().filter(x -> x.getNode().getId().equals(functionId)).findFirst()
        .orElseThrow().alias();
  }

  @Test
  void environmentCarriesTheRuntimeContract() {
    for (Map.Entry<String, Function> e : f.engine.functions().entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) f.json.properties(f.json.id(e.getValue()))
          .get("Environment")).get("Variables");
      String name = e.getKey();
      assertEquals("prod", env.get("TEMPORA_NAMESPACE"), name);
      assertEquals("tt-", env.get("TEMPORA_QUEUE_PREFIX"), name);
      assertEquals(f.json.id(f.engine.table()), TemplateJson.render(env.get("TEMPORA_TABLE")), name);
      assertEquals("tt-timers", env.get("TEMPORA_SCHEDULE_GROUP"), name);
      assertEquals(f.json.id(f.engine.schedulerRole()), TemplateJson.render(env.get("TEMPORA_SCHEDULER_ROLE_ARN")), name);
      assertEquals("1000", env.get("TEMPORA_RUNNER_CACHE_SIZE"), name);
      assertEquals(EngineFixture.SETUP, env.get("TEMPORA_WORKER_SETUP"), name);
      // The activity task queues this stack serves (a start on another is refused), and the fixture's retention.
      assertEquals("default,gpu", env.get("TEMPORA_TASK_QUEUES"), name);
      assertEquals("7", env.get("TEMPORA_RETENTION_DAYS"), name);
      // The HTTP API replays queries itself; only users' own WorkflowClients invoke the query function.
      assertNull(env.get("TEMPORA_COORDINATOR_FUNCTION"), name);
    }
  }

  @Test
  void functionsAreCreatedAfterTheQueuesTheirInitializationResolves() {
    // SnapStart initializes at publish time, and the runtime's initialization calls GetQueueUrl.
    List<IQueue> queues = List.of(f.engine.workflowTaskQueue(), f.engine.timersQueue(),
        f.engine.activityQueue("default"), f.engine.activityQueue("gpu"));
    for (Function fn : f.engine.functions().values()) {
      @SuppressWarnings("unchecked")
      List<String> dependsOn = (List<String>) f.json.resource(f.json.id(fn)).get("DependsOn");
      for (IQueue q : queues) {
        assertTrue(dependsOn.contains(f.json.id(q)), fn.getNode().getPath() + " should depend on " + f.json.id(q));
      }
      // ... and after its role's policy, which grants those calls.
      assertTrue(dependsOn.contains(f.json.id(fn.getRole().getNode().findChild("DefaultPolicy"))));
    }
  }

  @Test
  void everyFunctionLogsToItsOwnGroupAndHasAnErrorsAlarm() {
    t.resourceCountIs("AWS::Logs::LogGroup", 10); // 9 functions + API access logs
    for (Function fn : f.engine.functions().values()) {
      t.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", Match.anyValue(),
          "LoggingConfig", Map.of("LogGroup", Map.of("Ref", f.json.id(fn.getNode().getScope().getNode().findChild("Logs"))))));
      t.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "Errors", "Namespace", "AWS/Lambda",
          "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", f.json.id(fn))))));
    }
    t.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
  }
}
