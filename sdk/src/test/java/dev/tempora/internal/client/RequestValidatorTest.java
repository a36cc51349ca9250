package dev.tempora.internal.client;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.SignalOptions;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Payload;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import dev.tempora.internal.http.ApiError;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The rules of the one validator: ids, request ids, durations, task queues, types and arguments. */
class RequestValidatorTest {

  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    int count(int upTo, String label);

    @SignalMethod
    void add(int n);
  }

  public static class CounterImpl implements Counter {
    @Override
    public int count(int upTo, String label) {
      return upTo;
    }

    @Override
    public void add(int n) {}
  }

  private static String refusal(Executable call) {
    return assertThrows(InvalidRequestException.class, call).getError();
  }

  @Test
  void idsWithALoneSurrogateAreRefusedSoTheyCannotAliasAnother() {
    // Stored as UTF-8, each of these becomes "alias-?".
    for (String id : new String[] {"alias-\ud800", "alias-\udbff", "alias-\udc00", "\udfffalias", "a\ud800\ud800"}) {
      assertEquals("InvalidWorkflowId", refusal(() -> RequestValidator.workflowId(id)), id);
      assertEquals("InvalidWorkflowId", refusal(() -> WorkflowOptions.newBuilder().setWorkflowId(id)), id);
      assertEquals("InvalidRequestId", refusal(() -> RequestValidator.requestId(id)), id);
      assertEquals("InvalidRequestId", refusal(() -> SignalOptions.newBuilder().setRequestId(id)), id);
    }
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> RequestValidator.workflowId("alias-\ud800"));
    assertTrue(e.getMessage().startsWith("InvalidWorkflowId: workflow id has a lone surrogate (U+D800) at index 6"),
        e.getMessage());
    assertEquals("alias-?", RequestValidator.workflowId("alias-?"));
    assertEquals("alias-\ud83d\ude00", RequestValidator.workflowId("alias-\ud83d\ude00"), "a surrogate pair is one character");
  }

  @Test
  void idsAreOneTo255NonBlankCharacters() {
    assertEquals("InvalidWorkflowId", refusal(() -> RequestValidator.workflowId("")));
    assertEquals("InvalidWorkflowId", refusal(() -> RequestValidator.workflowId("  ")));
    assertEquals("InvalidWorkflowId", refusal(() -> RequestValidator.workflowId(null)));
    assertEquals("InvalidWorkflowId", refusal(() -> RequestValidator.workflowId("i".repeat(256))));
    assertEquals(255, RequestValidator.workflowId("i".repeat(255)).length());
    assertEquals("InvalidRequestId", refusal(() -> RequestValidator.requestId("")));
    assertEquals("InvalidRequestId", refusal(() -> RequestValidator.requestId("r".repeat(256))));
  }

  @Test
  void durationsAreNotNegativeAndDoNotOverflowAnInstant() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertEquals("InvalidDuration", refusal(() -> RequestValidator.duration("timeout", Duration.ofSeconds(-1), now)));
    assertEquals("InvalidDuration", refusal(() -> RequestValidator.duration("timeout", null, now)));
    assertEquals("InvalidDuration", refusal(() -> RequestValidator.duration("timeout",
        Duration.ofSeconds(Long.MAX_VALUE), now)));
    assertEquals("InvalidDuration", refusal(() -> RequestValidator.duration("timeout",
        Duration.parse("PT2562047788015215H"), now)));
    assertEquals(Duration.ZERO, RequestValidator.duration("timeout", Duration.ZERO, now));
    assertEquals(Duration.ofDays(36_500), RequestValidator.duration("timeout", Duration.ofDays(36_500), now));
  }

  @Test
  void aTaskQueueMustBeWellFormedAndServed() {
    WorkflowRegistry registry = new WorkflowRegistry();
    RequestValidator served = new RequestValidator(registry, Set.of("default", "gpu"));
    assertEquals("gpu", served.taskQueue("gpu"));
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> served.taskQueue("nowhere"));
    assertEquals("UnknownTaskQueue", e.getError());
    assertTrue(e.getDetail().contains("not served by this deployment (served: default, gpu)"), e.getDetail());
    assertEquals("InvalidField", refusal(() -> served.taskQueue("my queue")));
    assertEquals("InvalidField", refusal(() -> served.taskQueue(null)));
    RequestValidator any = new RequestValidator(registry, Set.of());
    assertEquals("nowhere", any.taskQueue("nowhere"), "not configured: any well-formed name");
    assertEquals("InvalidField", refusal(() -> any.taskQueue("x".repeat(41))));
  }

  @Test
  void aStartNeedsARegisteredTypeAndArgumentsThatConvert() {
    WorkflowRegistry registry = new WorkflowRegistry();
    RequestValidator v = new RequestValidator(registry, Set.of());
    Payload ok = new Payload("[3,\"x\"]");
    assertEquals("UnknownWorkflowType", refusal(() -> v.start("w", "Counter", "default", ok)));
    registry.register(CounterImpl.class); // types registered later count
    v.start("w", "Counter", "default", ok);
    v.start("w", "Counter", "default", new Payload("[3,null]"));
    InvalidRequestException count = assertThrows(InvalidRequestException.class,
        () -> v.start("w", "Counter", "default", new Payload("[3]")));
    assertEquals("InvalidArguments", count.getError());
    assertEquals("workflow Counter takes 2 arguments (int, String), got 1", count.getDetail());
    InvalidRequestException type = assertThrows(InvalidRequestException.class,
        () -> v.start("w", "Counter", "default", new Payload("[{\"a\":1},\"x\"]")));
    assertTrue(type.getDetail().startsWith("argument 1 of workflow Counter (int) does not convert from an object"),
        type.getDetail());
    assertEquals("InvalidArguments", refusal(() -> v.start("w", "Counter", "default", new Payload("{}"))));
    assertEquals("InvalidWorkflowId", refusal(() -> v.start("w\ud800", "Counter", "default", ok)));
    assertEquals("UnknownSignal", refusal(() -> v.signalWithStart("w", "Counter", "default", ok, "remove",
        new Payload("[1]"), null)));
    assertEquals("InvalidArguments", refusal(() -> v.signalWithStart("w", "Counter", "default", ok, "add",
        new Payload("[\"one\"]"), null)));
    assertEquals("InvalidRequestId", refusal(() -> v.signalWithStart("w", "Counter", "default", ok, "add",
        new Payload("[1]"), " ")));
    v.signalWithStart("w", "Counter", "default", ok, "add", new Payload("[1]"), "r-1");
  }

  /** Every name the client refuses with is an HTTP API error name, answered with 400. */
  @Test
  void everyRefusalHasTheSameNameInTheHttpApi() throws Exception {
    int names = 0;
    for (Field f : InvalidRequestException.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String name = (String) f.get(null);
        InvalidRequestException e = new InvalidRequestException(name, "why");
        assertEquals(name, ApiError.of(e).error().code());
        assertEquals(400, ApiError.of(e).error().status(), name);
        assertEquals("why", ApiError.of(e).getMessage());
        names++;
      }
    }
    assertEquals(20, names);
  }

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final RequestValidator VALIDATOR = new RequestValidator(new WorkflowRegistry(), Set.of());

  private static WorkflowStartOptions timeouts(Duration execution, Duration run) {
    return new WorkflowStartOptions(execution, run, null, null, Map.of());
  }

  private static ActivityParameters.RetryPolicy retry(Duration initial, double coefficient, Duration max, int attempts,
      List<String> doNotRetry) {
    return new ActivityParameters.RetryPolicy(initial, coefficient, max, attempts, doNotRetry);
  }

  private static WorkflowStartOptions withRetry(ActivityParameters.RetryPolicy p) {
    return new WorkflowStartOptions(null, null, null, p, Map.of());
  }

  private static WorkflowStartOptions withMemo(Map<String, Payload> memo) {
    return new WorkflowStartOptions(null, null, null, null, memo);
  }

  private static WorkflowStartOptions cronAndDelay(String cron, Duration delay) {
    return new WorkflowStartOptions(null, null, null, null, Map.of(), 1, delay, cron, null, null);
  }

  @Test
  void cronSchedulesAndStartDelaysAreCheckedAndKept() {
    assertEquals("CRON_TZ=Europe/Berlin 0 12 * * MON-FRI", VALIDATOR.startOptions(
        cronAndDelay("CRON_TZ=Europe/Berlin 0 12 * * MON-FRI", null), NOW).cronSchedule());
    assertEquals("@every 30m", VALIDATOR.startOptions(cronAndDelay("@every 30m", null), NOW).cronSchedule());
    assertEquals(Duration.ofMinutes(5), VALIDATOR.startOptions(cronAndDelay(null, Duration.ofMinutes(5)), NOW)
        .firstWorkflowTaskBackoff());
    assertNull(VALIDATOR.startOptions(cronAndDelay(null, Duration.ZERO), NOW).firstWorkflowTaskBackoff(),
        "a zero delay is none");
    assertEquals(InvalidRequestException.INVALID_CRON_EXPRESSION,
        refusal(() -> VALIDATOR.startOptions(cronAndDelay("* * *", null), NOW)));
    assertEquals(InvalidRequestException.INVALID_CRON_EXPRESSION,
        refusal(() -> VALIDATOR.startOptions(cronAndDelay("0 25 * * *", null), NOW)));
    assertEquals(InvalidRequestException.INVALID_TIME_ZONE,
        refusal(() -> VALIDATOR.startOptions(cronAndDelay("CRON_TZ=Mars/Olympus 0 12 * * *", null), NOW)));
    assertEquals(InvalidRequestException.INVALID_DURATION,
        refusal(() -> VALIDATOR.startOptions(cronAndDelay(null, Duration.ofSeconds(-1)), NOW)));
    assertEquals(InvalidRequestException.INVALID_DURATION,
        refusal(() -> VALIDATOR.startOptions(cronAndDelay(null, Duration.ofDays(3_000_000)), NOW)));
    assertEquals(InvalidRequestException.INVALID_FIELD,
        refusal(() -> VALIDATOR.startOptions(cronAndDelay("@daily", Duration.ofMinutes(1)), NOW)));
  }

  @Test
  void workflowTimeoutsAreNormalizedAsTemporalDoes() {
    Duration hour = Duration.ofHours(1);
    WorkflowStartOptions capped = VALIDATOR.startOptions(timeouts(hour, hour.multipliedBy(3)), NOW);
    assertEquals(hour, capped.workflowRunTimeout(), "a run timeout is at most the execution timeout");
    assertEquals(hour, VALIDATOR.startOptions(timeouts(hour, null), NOW).workflowRunTimeout());
    assertEquals(hour, VALIDATOR.startOptions(timeouts(null, hour), NOW).workflowRunTimeout());
    WorkflowStartOptions zero = VALIDATOR.startOptions(timeouts(Duration.ZERO, Duration.ZERO), NOW);
    assertNull(zero.workflowExecutionTimeout(), "zero is no timeout");
    assertNull(zero.workflowRunTimeout());
    assertEquals(WorkflowStartOptions.NONE, VALIDATOR.startOptions(null, NOW));
  }

  @Test
  void workflowTimeoutsThatCannotBeScheduledAreRefused() {
    assertEquals("InvalidDuration", refusal(() -> VALIDATOR.startOptions(timeouts(Duration.ofSeconds(-1), null), NOW)));
    assertEquals("InvalidDuration", refusal(() -> VALIDATOR.startOptions(timeouts(null, Duration.ofMillis(-1)), NOW)));
    assertEquals("InvalidDuration", refusal(() -> VALIDATOR.startOptions(
        timeouts(Duration.ofDays(365L * 8000), null), NOW)), "past the year 9999");
    assertEquals("InvalidDuration", refusal(() -> VALIDATOR.startOptions(
        timeouts(null, Duration.ofSeconds(Long.MAX_VALUE)), NOW)), "overflowing");
  }

  @Test
  void workflowRetryOptionsAreCheckedAsRetryOptionsBuilderChecksThem() {
    Duration s = Duration.ofSeconds(1);
    assertDoesNotThrow(() -> VALIDATOR.startOptions(withRetry(retry(s, 2, s.multipliedBy(100), 0, List.of())), NOW));
    assertEquals("InvalidRetryOptions", refusal(() -> VALIDATOR.startOptions(withRetry(
        retry(Duration.ZERO, 2, s, 0, List.of())), NOW)));
    assertEquals("InvalidRetryOptions", refusal(() -> VALIDATOR.startOptions(withRetry(
        retry(s, 0.5, s, 0, List.of())), NOW)));
    assertEquals("InvalidRetryOptions", refusal(() -> VALIDATOR.startOptions(withRetry(
        retry(s, Double.NaN, s, 0, List.of())), NOW)));
    assertEquals("InvalidRetryOptions", refusal(() -> VALIDATOR.startOptions(withRetry(
        retry(s.multipliedBy(2), 2, s, 0, List.of())), NOW)), "maximum below initial");
    assertEquals("InvalidRetryOptions", refusal(() -> VALIDATOR.startOptions(withRetry(
        retry(s, 2, s, -1, List.of())), NOW)));
    assertEquals("InvalidRetryOptions", refusal(() -> VALIDATOR.startOptions(withRetry(
        retry(s, 2, s, 0, List.of(" "))), NOW)));
  }

  @Test
  void memoKeysAndValuesAreChecked() {
    assertDoesNotThrow(() -> VALIDATOR.startOptions(withMemo(Map.of("k", new Payload("{\"a\":[1]}"))), NOW));
    assertEquals("InvalidMemo", refusal(() -> VALIDATOR.startOptions(withMemo(Map.of(" ", new Payload("1"))), NOW)));
    assertEquals("InvalidMemo", refusal(() -> VALIDATOR.startOptions(withMemo(Map.of("k".repeat(256), new Payload("1"))),
        NOW)));
    assertEquals("InvalidMemo", refusal(() -> VALIDATOR.startOptions(withMemo(Map.of("k\ud800", new Payload("1"))),
        NOW)));
    assertEquals("InvalidMemo", refusal(() -> VALIDATOR.startOptions(withMemo(Map.of("k", new Payload("{not json"))),
        NOW)));
    Map<String, Payload> big = Map.of("a", new Payload("\"" + "x".repeat(1_100_000) + "\""),
        "b", new Payload("\"" + "x".repeat(1_100_000) + "\""));
    assertEquals("InvalidMemo", refusal(() -> VALIDATOR.startOptions(withMemo(big), NOW)), "over 2 MB in all");
    Map<String, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1);
    assertEquals("InvalidMemo", refusal(() -> WorkflowStubImpl.startOptions(WorkflowOptions.newBuilder()
        .setMemo(nullKey).build())));
  }
}
