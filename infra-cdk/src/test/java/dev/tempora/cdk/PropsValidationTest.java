package dev.tempora.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.lambda.Code;

/** Bad settings fail at synth with a message that says which limit, not at deploy time. */
class PropsValidationTest {

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void namesFollowTheRuntimesConvention() {
    DeploymentNames n = new DeploymentNames("acme-");
    assertEquals("acme-workflow-tasks.fifo", n.workflowTaskQueue());
    assertEquals("acme-workflow-tasks-dlq.fifo", n.workflowTaskDeadLetterQueue());
    assertEquals("acme-timers", n.timersQueue());
    assertEquals("acme-timers-dlq", n.timersDeadLetterQueue());
    assertEquals("acme-activities-gpu", n.activityQueue("gpu"));
    assertEquals("acme-activities-gpu-dlq", n.activityDeadLetterQueue("gpu"));
    assertEquals("acme-timers", n.scheduleGroup());
  }

  @Test
  void queueNamesMustBeValidSqsNames() {
    assertTrue(message(() -> new DeploymentNames("has space")).contains("letters, digits"));
    assertTrue(message(() -> new DeploymentNames("x".repeat(58))).contains("80 characters"));
    DeploymentNames n = new DeploymentNames("p-");
    assertTrue(message(() -> n.activityQueue("gpu.large")).contains("'gpu.large'"));
    assertTrue(message(() -> n.activityQueue("q".repeat(70))).contains("longer than SQS's 80 characters"));
  }

  @Test
  void activityQueueSizingIsChecked() {
    assertTrue(message(() -> ActivityTaskQueue.builder("q").timeout(Duration.minutes(16)).build()).contains("15 min"));
    assertTrue(message(() -> ActivityTaskQueue.builder("q").memorySize(64).build()).contains("128..10240"));
    assertTrue(message(() -> ActivityTaskQueue.builder("q").batchSize(50).build()).contains("maxBatchingWindow"));
    assertTrue(message(() -> ActivityTaskQueue.builder("q").reservedConcurrency(1).build()).contains("at least 2"));
    assertEquals(100, ActivityTaskQueue.of("q").reservedConcurrency());
    ActivityTaskQueue ok = ActivityTaskQueue.builder("q").batchSize(50).maxBatchingWindow(Duration.seconds(5)).build();
    assertEquals(50, ok.batchSize());
  }

  @Test
  void engineSettingsAreChecked() {
    Code code = Code.fromInline("unused");
    assertTrue(message(() -> TemporaEngineProps.builder().code(code)
        .activityTaskQueue(ActivityTaskQueue.of("a")).activityTaskQueue(ActivityTaskQueue.of("a")).build())
        .contains("listed twice"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).namespace("a#b").build()).contains("'#'"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).maxReceiveCount(0).build()).contains("1..1000"));
    EventPattern p = EventPattern.builder().source(List.of("s")).build();
    assertTrue(message(() -> TemporaEngineProps.builder().code(code)
        .eventStart(EventStart.builder("A").pattern(p).workflowType("W").build())
        .eventStart(EventStart.builder("A").pattern(p).workflowType("V").build()).build()).contains("used twice"));
    assertTrue(message(() -> EventStart.builder("A").pattern(p).build()).contains("workflowType"));
    assertThrows(NullPointerException.class, () -> TemporaEngineProps.builder().build());
  }

  @Test
  void limitsAreChecked() {
    Code code = Code.fromInline("unused");
    // SQS consumers: the event source's cap is the reserved concurrency, and Lambda's smallest cap is 2.
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).coordinatorReservedConcurrency(1).build())
        .contains("coordinatorReservedConcurrency must be at least 2"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).timersReservedConcurrency(1).build())
        .contains("timersReservedConcurrency must be at least 2"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).httpApiReservedConcurrency(0).build())
        .contains("httpApiReservedConcurrency must be at least 1"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).streamRelayReservedConcurrency(0).build())
        .contains("streamRelayReservedConcurrency"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).queriesReservedConcurrency(0).build())
        .contains("queriesReservedConcurrency"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).eventStartsReservedConcurrency(0).build())
        .contains("eventStartsReservedConcurrency"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).apiThrottleRateLimit(0).build())
        .contains("apiThrottleRateLimit"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).apiThrottleBurstLimit(0).build())
        .contains("apiThrottleBurstLimit"));
  }

  @Test
  void aWorkQueueMustKeepMessagesShorterThanItsDeadLetterQueue() {
    Code code = Code.fromInline("unused");
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).queueRetention(Duration.days(14)).build())
        .contains("shorter than the dead-letter queues' 14 days"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).queueRetention(Duration.seconds(30)).build())
        .contains("at least 1 minute"));
    assertEquals(Duration.days(13).toSeconds(), TemporaEngineProps.builder().code(code).queueRetention(Duration.days(13))
        .build().queueRetention().toSeconds());
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).workflowTaskAgeAlarmThreshold(Duration.seconds(30))
        .build()).contains("workflowTaskAgeAlarmThreshold"));
  }

  @Test
  void retentionIsWholeDays() {
    Code code = Code.fromInline("unused");
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).retention(Duration.hours(36)).build())
        .contains("whole number of days"));
    assertTrue(message(() -> TemporaEngineProps.builder().code(code).retention(Duration.hours(12)).build())
        .contains("at least 1"));
    assertEquals(30, TemporaEngineProps.builder().code(code).build().retention().toDays().intValue());
  }

  @Test
  void withoutQueuesTheDefaultTaskQueueIsDeployed() {
    TemporaEngineProps props = TemporaEngineProps.builder().code(Code.fromInline("unused")).build();
    assertEquals(List.of(ActivityTaskQueue.of("default")), props.activityTaskQueues());
    assertEquals("default", props.namespace());
  }

  @Test
  void constructIdsFromTaskQueueNames() {
    assertEquals("GpuLarge", TemporaEngine.constructIdPart("gpu-large"));
    assertEquals("Default", TemporaEngine.constructIdPart("default"));
    assertEquals("A1B", TemporaEngine.constructIdPart("a1_b"));
  }
}
