package dev.tempora.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.devserver.EmbeddedAws;
import dev.tempora.internal.aws.AwsConfig;
import dev.tempora.internal.aws.DynamoDbHistoryStore;
import dev.tempora.lambda.activity.ActivityTaskHandler;
import dev.tempora.lambda.coordinator.QueryInvocationHandler;
import dev.tempora.lambda.coordinator.ScheduleQueueHandler;
import dev.tempora.lambda.coordinator.TableStreamHandler;
import dev.tempora.lambda.coordinator.TimerQueueHandler;
import dev.tempora.lambda.coordinator.WorkflowTaskHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;


/**
 * The init script, run here against a recording stand-in for awslocal: it must create what the
 * runtime expects (names from AwsConfig, the table of TemporaTable, the handlers' event sources),
 * with the compose file's settings, with its own defaults, and with other settings.
 */
class InitScriptTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path MODULE = Path.of(System.getProperty("tempora.localstack.dir", "."));
  private static final Path SCRIPT = MODULE.resolve(LocalStackEnvironment.INIT_SCRIPT);

  private static EmbeddedAws aws;
  private static Path jar;

  @BeforeAll
  static void setUp() throws IOException {
    aws = EmbeddedAws.start();
    jar = Files.createTempFile("bundle", ".jar");
  }

  @AfterAll
  static void tearDown() {
    aws.close();
  }

  private static InitScriptRun run(Map<String, String> settings) throws Exception {
    Map<String, String> env = new HashMap<>(settings);
    env.put("TEMPORA_LAMBDA_JAR", jar.toString());
    InitScriptRun run = InitScriptRun.run(SCRIPT, env);
    assertEquals(0, run.exitCode(), run.output());
    return run;
  }

  @Test
  void composeSettingsGiveTheResourcesTheRuntimeLooksFor() throws Exception {
    Map<String, String> compose = ComposeFile.read(MODULE.resolve("docker-compose.yml")).environment();
    InitScriptRun run = run(compose);
    checkResources(run, AwsConfig.fromEnvironment(compose), List.of(compose.get("TEMPORA_ACTIVITY_TASK_QUEUES").split(" ")));
  }

  @Test
  void defaultsAreAwsConfigDefaults() throws Exception {
    // A user who sets nothing gets what a runtime with no settings expects.
    checkResources(run(Map.of()), AwsConfig.defaults(), List.of("default", "gpu"));
  }

  @Test
  void settingsReachResourcesAndFunctions() throws Exception {
    Map<String, String> settings = Map.of("TEMPORA_NAMESPACE", "shop", "TEMPORA_TABLE", "acme-table",
        "TEMPORA_QUEUE_PREFIX", "acme-", "TEMPORA_SCHEDULE_GROUP", "acme-timers",
        "TEMPORA_COORDINATOR_FUNCTION", "acme-coordinator", "TEMPORA_ACTIVITY_TASK_QUEUES", "default video",
        "TEMPORA_WORKER_SETUP", "com.acme.Setup", "TEMPORA_MAX_RECEIVE_COUNT", "3");
    InitScriptRun run = run(settings);
    AwsConfig config = AwsConfig.fromEnvironment(new HashMap<>(settings) {{
      put("TEMPORA_SCHEDULER_ROLE_ARN", "arn:aws:iam::000000000000:role/acme-scheduler");
    }});
    assertNotEquals(AwsConfig.defaults().tableName(), config.tableName());
    checkResources(run, config, List.of("default", "video"));
    for (InitScriptRun.Call f : run.calls("lambda", "create-function")) {
      assertEquals("com.acme.Setup", environment(f).get("TEMPORA_WORKER_SETUP"));
    }
    String redrive = attributes(queue(run, config.timersQueueName())).get("RedrivePolicy").asText();
    assertEquals("3", JSON.readTree(redrive).path("maxReceiveCount").asText());
  }

  @Test
  void aMissingBundleStopsTheScriptWithAClearMessage() throws Exception {
    InitScriptRun run = InitScriptRun.run(SCRIPT, Map.of("TEMPORA_LAMBDA_JAR", "/nonexistent/bundle.jar"));
    assertNotEquals(0, run.exitCode());
    assertTrue(run.output().contains("/nonexistent/bundle.jar is missing"), run.output());
    assertTrue(run.calls().isEmpty(), "nothing created: " + run.calls());
  }

  // ------------------------------------------------------------------------------------------

  private static void checkResources(InitScriptRun run, AwsConfig config, List<String> taskQueues) throws Exception {
    checkTable(run, config.tableName());
    checkQueues(run, config, taskQueues);
    checkFunctions(run, config, taskQueues);

    assertEquals(config.scheduleGroup(), run.only("scheduler", "create-schedule-group").option("name"));
    String schedulerRole = config.schedulerRoleArn().substring(config.schedulerRoleArn().lastIndexOf('/') + 1);
    assertTrue(run.calls("iam", "create-role").stream().anyMatch(c -> c.option("role-name").equals(schedulerRole)),
        "the role Scheduler assumes, " + schedulerRole);
  }

  /** The script's table against the one TemporaTable creates (on DynamoDB Local). */
  private static void checkTable(InitScriptRun run, String tableName) throws Exception {
    InitScriptRun.Call create = run.only("dynamodb", "create-table");
    assertEquals(tableName, create.option("table-name"));
    assertEquals("PAY_PER_REQUEST", create.option("billing-mode"));

    String reference = "reference-" + System.nanoTime();
    DynamoDbHistoryStore.createTable(aws.dynamo(), reference);
    TableDescription table = aws.dynamo().describeTable(b -> b.tableName(reference)).table();

    assertEquals(table.attributeDefinitions().stream().collect(Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString())),
        shorthand(create.values("attribute-definitions"), "AttributeName", "AttributeType"));
    assertEquals(table.keySchema().stream().collect(Collectors.toMap(k -> k.attributeName(), k -> k.keyTypeAsString())),
        shorthand(create.values("key-schema"), "AttributeName", "KeyType"));

    JsonNode gsis = JSON.readTree(create.option("global-secondary-indexes"));
    assertEquals(table.globalSecondaryIndexes().size(), gsis.size());
    for (GlobalSecondaryIndexDescription expected : table.globalSecondaryIndexes()) {
      JsonNode gsi = null;
      for (JsonNode g : gsis) {
        if (g.path("IndexName").asText().equals(expected.indexName())) {
          gsi = g;
        }
      }
      assertTrue(gsi != null, "index " + expected.indexName() + " in " + gsis);
      Map<String, String> keys = new TreeMap<>();
      gsi.path("KeySchema").forEach(k -> keys.put(k.path("AttributeName").asText(), k.path("KeyType").asText()));
      assertEquals(new TreeMap<>(expected.keySchema().stream().collect(Collectors.toMap(k -> k.attributeName(), k -> k.keyTypeAsString()))), keys);
      assertEquals(expected.projection().projectionTypeAsString(), gsi.path("Projection").path("ProjectionType").asText());
      Set<String> nonKey = new HashSet<>();
      gsi.path("Projection").path("NonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
      assertEquals(Set.copyOf(expected.projection().nonKeyAttributes()), nonKey);
    }

    String ttlAttribute = aws.dynamo().describeTimeToLive(b -> b.tableName(reference)).timeToLiveDescription().attributeName();
    InitScriptRun.Call ttl = run.only("dynamodb", "update-time-to-live");
    assertEquals(tableName, ttl.option("table-name"));
    assertEquals(Map.of("Enabled", "true", "AttributeName", ttlAttribute),
        shorthandPairs(ttl.option("time-to-live-specification")));
  }

  private static void checkQueues(InitScriptRun run, AwsConfig config, List<String> taskQueues) throws Exception {
    Map<String, Boolean> expected = new LinkedHashMap<>();
    expected.put(config.workflowTaskQueueName(), true);
    expected.put(config.timersQueueName(), false);
    expected.put(config.schedulesQueueName(), false);
    taskQueues.forEach(q -> expected.put(config.activityQueueName(q), false));

    Set<String> created = run.calls("sqs", "create-queue").stream().map(c -> c.option("queue-name")).collect(Collectors.toSet());
    assertEquals(expected.size() * 2, created.size(), "each queue and its DLQ: " + created);
    for (var e : expected.entrySet()) {
      String name = e.getKey();
      boolean fifo = e.getValue();
      String dlq = fifo ? name.replace(".fifo", "-dlq.fifo") : name + "-dlq";
      JsonNode attributes = attributes(queue(run, name));
      assertEquals(fifo, attributes.path("FifoQueue").asText("false").equals("true"), name + " FIFO");
      assertEquals(fifo, attributes(queue(run, dlq)).path("FifoQueue").asText("false").equals("true"), dlq + " FIFO");
      JsonNode redrive = JSON.readTree(attributes.path("RedrivePolicy").asText());
      assertEquals("arn:aws:sqs:us-east-1:000000000000:" + dlq, redrive.path("deadLetterTargetArn").asText());
      assertTrue(Integer.parseInt(redrive.path("maxReceiveCount").asText()) >= 1);
      // Lambda's rule for SQS event sources: the visibility timeout covers the function timeout.
      for (InitScriptRun.Call f : run.calls("lambda", "create-function")) {
        assertTrue(attributes.path("VisibilityTimeout").asInt() >= Integer.parseInt(f.option("timeout")), name);
      }
    }
  }

  private static void checkFunctions(InitScriptRun run, AwsConfig config, List<String> taskQueues) throws Exception {
    Map<String, InitScriptRun.Call> functions = run.calls("lambda", "create-function").stream()
        .collect(Collectors.toMap(c -> c.option("function-name"), c -> c));

    // The client invokes TEMPORA_COORDINATOR_FUNCTION for queries and describe.
    assertEquals(QueryInvocationHandler.class, handlerClass(functions.get(config.coordinatorFunctionName())));

    // Each queue is consumed by the handler written for it, reporting partial batch failures.
    Map<String, Class<?>> consumers = new LinkedHashMap<>();
    consumers.put(config.workflowTaskQueueName(), WorkflowTaskHandler.class);
    consumers.put(config.timersQueueName(), TimerQueueHandler.class);
    consumers.put(config.schedulesQueueName(), ScheduleQueueHandler.class);
    taskQueues.forEach(q -> consumers.put(config.activityQueueName(q), ActivityTaskHandler.class));
    List<InitScriptRun.Call> allMappings = run.calls("lambda", "create-event-source-mapping");
    // The stream relay (ADR 8) reads the table's stream, reporting failures item by item.
    List<InitScriptRun.Call> streamMappings = allMappings.stream()
        .filter(m -> !m.values("starting-position").isEmpty()).toList();
    assertEquals(1, streamMappings.size(), "one stream event source: " + allMappings);
    InitScriptRun.Call relay = streamMappings.getFirst();
    assertEquals(TableStreamHandler.class, handlerClass(functions.get(relay.option("function-name"))));
    assertEquals(List.of("ReportBatchItemFailures"), relay.values("function-response-types"));
    List<InitScriptRun.Call> mappings = allMappings.stream().filter(m -> m.values("starting-position").isEmpty()).toList();
    assertEquals(consumers.size(), mappings.size(), "one event source per queue: " + mappings);
    assertEquals(consumers.size() + 2, functions.size(),
        "the queue consumers, the stream relay and the query function: " + functions.keySet());
    for (var e : consumers.entrySet()) {
      String arn = "arn:aws:sqs:us-east-1:000000000000:" + e.getKey();
      InitScriptRun.Call mapping = mappings.stream().filter(m -> m.option("event-source-arn").equals(arn)).findFirst()
          .orElseThrow(() -> new AssertionError("no event source for " + arn));
      assertEquals(e.getValue(), handlerClass(functions.get(mapping.option("function-name"))), e.getKey());
      assertEquals(List.of("ReportBatchItemFailures"), mapping.values("function-response-types"));
      int batch = Integer.parseInt(mapping.option("batch-size"));
      assertTrue(batch >= 1 && batch <= 10, "batch size " + batch + " (FIFO sources allow at most 10)");
      // The function is active before messages can reach it.
      int mapped = run.calls().indexOf(mapping);
      assertTrue(run.calls().subList(0, mapped).stream().anyMatch(c -> c.is("lambda", "wait")
          && c.option("function-name").equals(mapping.option("function-name"))), "waited for " + mapping.option("function-name"));
    }

    // Every function: Java 21, the bundle uploaded by the script, and the deployment's names.
    InitScriptRun.Call upload = run.only("s3", "cp");
    assertEquals(jar.toString(), upload.args().get(2));
    for (InitScriptRun.Call f : functions.values()) {
      assertEquals("java21", f.option("runtime"));
      Map<String, String> code = shorthandPairs(f.option("code"));
      assertEquals(upload.args().get(3), "s3://" + code.get("S3Bucket") + "/" + code.get("S3Key"));
      assertEquals(config.withServedTaskQueues(taskQueues), AwsConfig.fromEnvironment(environment(f)),
          f.option("function-name"));
    }
  }

  /** The handler class a create-function names ({@code Class::handleRequest}), loaded from the bundle's classpath. */
  private static Class<?> handlerClass(InitScriptRun.Call function) throws ClassNotFoundException {
    assertTrue(function != null, "function missing");
    String handler = function.option("handler");
    assertTrue(handler.endsWith("::handleRequest"), handler);
    Class<?> c = Class.forName(handler.substring(0, handler.indexOf("::")));
    assertTrue(RequestStreamHandler.class.isAssignableFrom(c) || RequestHandler.class.isAssignableFrom(c), c + " is a Lambda handler");
    if (c.equals(TableStreamHandler.class)) {
      // The stream relay takes stream batches.
      assertTrue(Arrays.stream(c.getMethods()).anyMatch(m -> m.getName().equals("handleRequest")
          && m.getParameterTypes()[0].equals(DynamodbEvent.class)), c + " takes DynamodbEvent");
    } else if (!c.equals(QueryInvocationHandler.class)) {
      // The queue consumers take SQS batches.
      assertTrue(Arrays.stream(c.getMethods()).anyMatch(m -> m.getName().equals("handleRequest")
          && m.getParameterTypes()[0].equals(SQSEvent.class)), c + " takes SQSEvent");
    }
    return c;
  }

  private static InitScriptRun.Call queue(InitScriptRun run, String name) {
    return run.calls("sqs", "create-queue").stream().filter(c -> c.option("queue-name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("queue " + name + " not created"));
  }

  private static JsonNode attributes(InitScriptRun.Call createQueue) throws IOException {
    return JSON.readTree(createQueue.option("attributes"));
  }

  private static Map<String, String> environment(InitScriptRun.Call function) throws IOException {
    Map<String, String> env = new HashMap<>();
    JSON.readTree(function.option("environment")).path("Variables").fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  /** The CLI's shorthand list {@code Key1=a,Key2=b ...}: one map entry per element, key -> value. */
  private static Map<String, String> shorthand(List<String> elements, String keyField, String valueField) {
    Map<String, String> out = new HashMap<>();
    for (String element : elements) {
      Map<String, String> pairs = shorthandPairs(element);
      out.put(pairs.get(keyField), pairs.get(valueField));
    }
    return out;
  }

  private static Map<String, String> shorthandPairs(String element) {
    Map<String, String> pairs = new HashMap<>();
    for (String pair : element.split(",")) {
      String[] kv = pair.split("=", 2);
      pairs.put(kv[0], kv[1]);
    }
    return pairs;
  }
}
