package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.SystemLogLevel;

/**
 * The options for real deployments: a task queue with a package of its own, extra environment,
 * layers, Lambda's JSON log format with levels, and X-Ray active tracing (with the IAM it needs
 * and nothing else). The main fixture has none of them and keeps Lambda's defaults.
 */
class OperationsOptionsTest {
  private static final String LAYER = "arn:aws:lambda:eu-west-1:123456789012:layer:otel:3";
  private static final String GPU_SETUP = "com.example.GpuSetup";
  private static Stack stack;
  private static TemporaEngine engine;
  private static Template t;
  private static TemplateJson json;

  @BeforeAll
  static void synth() throws IOException {
    App app = new App();
    stack = new Stack(app, "Options");
    Path gpuJar = Files.createTempDirectory("gpu-asset");
    Files.writeString(gpuJar.resolve("README.txt"), "stand-in for the GPU queue's own bundle\n");
    engine = new TemporaEngine(stack, "Engine", TemporaEngineProps.builder()
        .code(Code.fromAsset(EngineFixture.dummyAsset().toString()))
        .workerSetupClass(EngineFixture.SETUP)
        .queuePrefix("op-")
        .activityTaskQueue(ActivityTaskQueue.of("default"))
        .activityTaskQueue(ActivityTaskQueue.builder("gpu").memorySize(10240).timeout(Duration.minutes(15)).build())
        .activityCode("gpu", Code.fromAsset(gpuJar.toString()), GPU_SETUP)
        .environment("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC")
        .environment(Map.of("ACME_REGION_HINT", "eu"))
        .layer(LayerVersion.fromLayerVersionArn(stack, "Otel", LAYER))
        .logFormat(LoggingFormat.JSON)
        .applicationLogLevel(ApplicationLogLevel.INFO)
        .systemLogLevel(SystemLogLevel.WARN)
        .tracing(true)
        .build());
    Aspects.of(stack).add(new AwsSolutionsChecks());
    t = Template.fromStack(stack);
    json = new TemplateJson(stack, t.toJSON());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Function fn) {
    return (Map<String, Object>) ((Map<String, Object>) json.properties(json.id(fn)).get("Environment")).get("Variables");
  }

  private static Object s3Key(Function fn) {
    return ((Map<?, ?>) json.properties(json.id(fn)).get("Code")).get("S3Key");
  }

  @Test
  void aTaskQueueWithItsOwnPackageRunsItAndItsSetupAndNoOtherFunctionDoes() {
    Function gpu = engine.activityFunction("gpu");
    Object mainPackage = s3Key(engine.coordinatorFunction());
    assertTrue(!s3Key(gpu).equals(mainPackage), "the GPU queue's function runs its own package");
    assertEquals(GPU_SETUP, env(gpu).get(TemporaEngine.ENV_WORKER_SETUP));
    for (Map.Entry<String, Function> e : engine.functions().entrySet()) {
      if (e.getValue() != gpu) {
        assertEquals(mainPackage, s3Key(e.getValue()), e.getKey() + " runs the engine's package");
        assertEquals(EngineFixture.SETUP, env(e.getValue()).get(TemporaEngine.ENV_WORKER_SETUP), e.getKey());
      }
    }
  }

  @Test
  void everyFunctionGetsTheExtraEnvironmentTheLayersAndTheLogFormat() {
    for (Map.Entry<String, Function> e : engine.functions().entrySet()) {
      Map<String, Object> p = json.properties(json.id(e.getValue()));
      assertEquals("-XX:+UseSerialGC", env(e.getValue()).get("JAVA_TOOL_OPTIONS"), e.getKey());
      assertEquals("eu", env(e.getValue()).get("ACME_REGION_HINT"), e.getKey());
      // ... next to the engine's own contract, which the extra variables do not replace.
      assertEquals("op-", env(e.getValue()).get(TemporaEngine.ENV_QUEUE_PREFIX), e.getKey());
      assertEquals(List.of(LAYER), p.get("Layers"), e.getKey());
      @SuppressWarnings("unchecked")
      Map<String, Object> logging = (Map<String, Object>) p.get("LoggingConfig");
      assertEquals(Set.of("LogGroup", "LogFormat", "ApplicationLogLevel", "SystemLogLevel"), logging.keySet(), e.getKey());
      assertEquals("JSON", logging.get("LogFormat"));
      assertEquals("INFO", logging.get("ApplicationLogLevel"));
      assertEquals("WARN", logging.get("SystemLogLevel"));
    }
  }

  @Test
  void tracingIsActiveOnEveryFunctionWithJustTheXrayWritesItNeeds() {
    for (Map.Entry<String, Function> e : engine.functions().entrySet()) {
      assertEquals(Map.of("Mode", "Active"), json.properties(json.id(e.getValue())).get("TracingConfig"), e.getKey());
      Map<String, Set<String>> grants = json.grants(e.getValue().getRole());
      // X-Ray has no resource-level permissions: "*", and only its two write actions there.
      assertEquals(Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"), grants.get("*"), e.getKey());
    }
  }

  @Test
  void withTracingCdkNagStillFindsNothingUnsuppressed() {
    assertEquals(List.of(), Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")).stream()
        .map(m -> m.getId() + ": " + m.getEntry().getData()).collect(Collectors.toList()));
    assertEquals(List.of(), Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")).stream()
        .map(m -> m.getId() + ": " + m.getEntry().getData()).collect(Collectors.toList()));
  }

  @Test
  void badOptionsFailAtSynthSayingWhich() {
    Code code = Code.fromAsset(EngineFixture.dummyAsset().toString());
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).activityCode("gpu", code).build())
        .contains("'gpu', which is not one of the activity task queues [default]"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).environment("TEMPORA_TABLE", "x").build())
        .contains("TEMPORA_TABLE is set by the engine"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).environment("AWS_REGION", "x").build())
        .contains("AWS_REGION is reserved by Lambda"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).applicationLogLevel(ApplicationLogLevel.WARN).build())
        .contains("need logFormat JSON"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).activityFailureRateAlarmPercent(0).build())
        .contains("activityFailureRateAlarmPercent"));
    App app = new App();
    Stack s = new Stack(app, "Layers");
    TemporaEngineProps.Builder b = TemporaEngineProps.builder().code(code);
    for (int i = 0; i < 6; i++) {
      b.layer(LayerVersion.fromLayerVersionArn(s, "L" + i, LAYER + i));
    }
    assertTrue(message(b::build).contains("at most 5 layers"));
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }
}
