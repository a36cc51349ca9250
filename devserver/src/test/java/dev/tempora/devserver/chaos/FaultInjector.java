package dev.tempora.devserver.chaos;

import dev.tempora.devserver.SqsEventSourcePoller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.scheduler.model.SchedulerException;
import software.amazon.awssdk.services.scheduler.model.ThrottlingException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.RequestThrottledException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Makes AWS SDK v2 calls fail the way AWS makes them fail: throttling, HTTP 500/503, connection
 * resets, timeouts, slow calls and partly failed batches. Added to every client of the embedded
 * stack ({@code DevServer.Options.withInterceptors}); it touches only calls made by the engine
 * (a thread serving a Lambda stand-in's invocation, see {@link SqsEventSourcePoller#currentFunction})
 * or by a workflow client the chaos driver marked ({@link ChaosScope}). The suite's own checks read
 * through other threads and clients, and never see a fault.
 *
 * <p>A fault strikes one of two windows, which is what matters to the caller:
 * <ul>
 *   <li>{@link Window#BEFORE}: the caller sees an error and nothing happened at the service;
 *   <li>{@link Window#AFTER}: the service did the work (a committed write, a sent message, a
 *       received message now hidden for a visibility timeout) and the caller sees an error: the
 *       worst window, as when a response is lost and every retry fails.
 * </ul>
 * Both are injected once per call (at {@code beforeExecution} and {@code afterExecution}, outside
 * the SDK's retries), because injecting per attempt would almost never get through the SDK's
 * retry policy (9 attempts for DynamoDB, 4 for SQS, measured) and would make the suite wait a
 * minute of throttling backoff per fault. The SDK's retries are exercised separately:
 * {@link Window#RETRIED_BEFORE} fails the first attempt before it is sent, and
 * {@link Window#RETRIED_AFTER} fails it after the response arrived, so the SDK's retry does the
 * work a second time (a duplicate message, a conditional write that meets its own first attempt).
 *
 * <p>Decisions come from {@link Rule}s, first match wins: targeted ones (a chaos window, e.g. "the
 * start message of workflow X is lost") and the random one made by {@link #random}. Counters tell
 * what was injected, by window and kind, by operation and by label.
 */
public final class FaultInjector implements ExecutionInterceptor {

  /** Where in a call a fault strikes (see the class comment). */
  public enum Window { BEFORE, AFTER, RETRIED_BEFORE, RETRIED_AFTER, DELAY, PARTIAL_BATCH, KILL }

  /** What the failure looks like. */
  public enum Kind { THROTTLING, SERVER_ERROR, CONNECTION_RESET, TIMEOUT }

  /** Who makes a call: an engine function (Lambda stand-in), or a client the driver marked. */
  public record Caller(String function, ChaosPlan client) {
    public boolean isFunction() {
      return function != null;
    }

    public boolean isActivityWorker() {
      return function != null && function.startsWith("tempora-activities-");
    }
  }

  /** One SDK call as a rule sees it. */
  public record Call(Caller caller, String service, String operation, SdkRequest request) {
    public String name() {
      return service + "." + operation;
    }
  }

  /** What to do to a call. {@code label} names it in the counters ("random", or a chaos window). */
  public sealed interface Fault {
    String label();
  }

  /** Fail in {@code window} (BEFORE, AFTER, RETRIED_BEFORE or RETRIED_AFTER) with an error of {@code kind}. */
  public record Fail(Window window, Kind kind, String label) implements Fault {}

  /** A slow call that succeeds. */
  public record Delay(Duration duration, String label) implements Fault {}

  /** A batch call whose entries {@code entryIds} fail (they are not done); the rest succeed. */
  public record PartialBatch(Set<String> entryIds, String label) implements Fault {}

  /** The process dies during the call (nothing sent): an {@link InjectedKill} error. */
  public record Kill(String what, String label) implements Fault {}

  /** Decides a call's fault, or null for none. */
  @FunctionalInterface
  public interface Rule {
    Fault decide(Call call, Random random);
  }

  /** Thrown where a process is killed: an Error, so handlers do not mistake it for an ordinary failure. */
  public static final class InjectedKill extends Error {
    public InjectedKill(String message) {
      super(message, null, false, false);
    }
  }

  /** Per-call probabilities of the random rule. */
  public record Rates(double before, double after, double retriedBefore, double retriedAfter, double delay,
      double partialBatch, Duration maxDelay) {
    public static Rates none() {
      return new Rates(0, 0, 0, 0, 0, 0, Duration.ZERO);
    }

    public Rates scaled(double factor) {
      return new Rates(before * factor, after * factor, retriedBefore * factor, retriedAfter * factor,
          delay * factor, partialBatch * factor, maxDelay);
    }
  }

  private static final ExecutionAttribute<Fault> FAULT = new ExecutionAttribute<>("chaos.fault");
  private static final ExecutionAttribute<AtomicInteger> ATTEMPTS = new ExecutionAttribute<>("chaos.attempts");
  private static final Set<String> BATCH_OPERATIONS =
      Set.of("SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch");

  private final List<Rule> rules;
  private final Random random;
  private volatile boolean enabled = true;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byLabel = new ConcurrentHashMap<>();

  public FaultInjector(long seed, List<Rule> rules) {
    this.random = new Random(seed);
    this.rules = List.copyOf(rules);
  }

  /** The random rule: every call in scope may fail with the given probabilities. */
  public static Rule random(Rates rates) {
    return (call, rnd) -> {
      double r = rnd.nextDouble();
      Kind kind = Kind.values()[rnd.nextInt(Kind.values().length)];
      if ((r -= rates.before()) < 0) return new Fail(Window.BEFORE, kind, "random");
      if ((r -= rates.after()) < 0) return new Fail(Window.AFTER, kind, "random");
      if ((r -= rates.retriedBefore()) < 0) return new Fail(Window.RETRIED_BEFORE, kind, "random");
      if ((r -= rates.retriedAfter()) < 0) return new Fail(Window.RETRIED_AFTER, kind, "random");
      if ((r -= rates.delay()) < 0) {
        long max = Math.max(1, rates.maxDelay().toMillis());
        return new Delay(Duration.ofMillis(1 + rnd.nextLong(max)), "random");
      }
      if (BATCH_OPERATIONS.contains(call.operation()) && (r -= rates.partialBatch()) < 0) {
        List<String> ids = batchEntryIds(call.request());
        if (ids.size() >= 2) {
          Set<String> failing = new HashSet<>();
          int n = 1 + rnd.nextInt(ids.size() - 1);
          while (failing.size() < n) failing.add(ids.get(rnd.nextInt(ids.size())));
          return new PartialBatch(failing, "random");
        }
      }
      return null;
    };
  }

  /** Stops (or resumes) injecting, e.g. while the stack shuts down. */
  public void setEnabled(boolean on) {
    enabled = on;
  }

  /** Calls seen in scope, by operation. */
  public Map<String, Long> calls() {
    return snapshot(calls);
  }

  /** Faults injected by "WINDOW KIND" (or "DELAY", "PARTIAL_BATCH", "KILL"). */
  public Map<String, Long> byKind() {
    return snapshot(byKind);
  }

  /** Faults injected by operation ("DynamoDb.PutItem"). */
  public Map<String, Long> byOperation() {
    return snapshot(byOperation);
  }

  /** Faults injected by label ("random", or a chaos window's name). */
  public Map<String, Long> byLabel() {
    return snapshot(byLabel);
  }

  public long total() {
    return byLabel.values().stream().mapToLong(LongAdder::sum).sum();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** The caller of the current thread, if the injector may touch its calls. */
  static Optional<Caller> currentCaller() {
    Optional<String> function = SqsEventSourcePoller.currentFunction();
    if (function.isPresent()) return Optional.of(new Caller(function.get(), null));
    return ChaosScope.client().map(plan -> new Caller(null, plan));
  }

  // ------------------------------------------------------------------ the interceptor

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (!enabled) return;
    Caller caller = currentCaller().orElse(null);
    if (caller == null) return;
    Call call = new Call(caller, attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
        attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.request());
    calls.computeIfAbsent(call.name(), k -> new LongAdder()).increment();
    Fault fault = decide(call);
    if (fault == null) return;
    count(call, fault);
    attributes.putAttribute(FAULT, fault);
    attributes.putAttribute(ATTEMPTS, new AtomicInteger());
    switch (fault) {
      case Kill k -> throw new InjectedKill(k.what());
      case Fail f when f.window() == Window.BEFORE -> throw surfaced(call.service(), f.kind());
      default -> { }
    }
  }

  private Fault decide(Call call) {
    synchronized (random) {
      for (Rule rule : rules) {
        Fault f = rule.decide(call, random);
        if (f != null) return f;
      }
      return null;
    }
  }

  private void count(Call call, Fault fault) {
    String kind = switch (fault) {
      case Fail f -> f.window() + " " + f.kind();
      case Delay d -> Window.DELAY.name();
      case PartialBatch p -> Window.PARTIAL_BATCH.name();
      case Kill k -> Window.KILL.name();
    };
    byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    byOperation.computeIfAbsent(call.name(), k -> new LongAdder()).increment();
    byLabel.computeIfAbsent(fault.label(), k -> new LongAdder()).increment();
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    if (!(attributes.getAttribute(FAULT) instanceof PartialBatch p)) return context.request();
    // The failing entries are not sent at all: a partly failed batch did none of them.
    return switch (context.request()) {
      case SendMessageBatchRequest r -> r.toBuilder()
          .entries(r.entries().stream().filter(e -> !p.entryIds().contains(e.id())).toList()).build();
      case DeleteMessageBatchRequest r -> r.toBuilder()
          .entries(r.entries().stream().filter(e -> !p.entryIds().contains(e.id())).toList()).build();
      case ChangeMessageVisibilityBatchRequest r -> r.toBuilder()
          .entries(r.entries().stream().filter(e -> !p.entryIds().contains(e.id())).toList()).build();
      default -> context.request();
    };
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Fault fault = attributes.getAttribute(FAULT);
    if (fault == null) return;
    int attempt = attributes.getAttribute(ATTEMPTS).incrementAndGet();
    if (attempt != 1) return;
    switch (fault) {
      case Fail f when f.window() == Window.RETRIED_BEFORE ->
          throw retryable(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME), f.kind());
      case Delay d -> sleep(d.duration());
      default -> { }
    }
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    if (attributes.getAttribute(FAULT) instanceof Fail f && f.window() == Window.RETRIED_AFTER
        && attributes.getAttribute(ATTEMPTS).get() == 1) {
      // Read and close the response the caller will never see, or its pooled connection leaks
      // (50 leaks and every client of the stack waits for a connection forever).
      context.responseBody().ifPresent(FaultInjector::discard);
      throw retryable(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME), f.kind());
    }
  }

  @Override
  public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
    if (!(attributes.getAttribute(FAULT) instanceof PartialBatch p)) return context.response();
    List<BatchResultErrorEntry> failed = new ArrayList<>();
    for (String id : p.entryIds()) {
      failed.add(BatchResultErrorEntry.builder().id(id).code("InternalError").senderFault(false)
          .message("We encountered an internal error. Please try again.").build());
    }
    return switch (context.response()) {
      case SendMessageBatchResponse r -> r.toBuilder().failed(concat(r.failed(), failed)).build();
      case DeleteMessageBatchResponse r -> r.toBuilder().failed(concat(r.failed(), failed)).build();
      case ChangeMessageVisibilityBatchResponse r -> r.toBuilder().failed(concat(r.failed(), failed)).build();
      default -> context.response();
    };
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    if (attributes.getAttribute(FAULT) instanceof Fail f && f.window() == Window.AFTER) {
      String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
      if (f.kind() == Kind.TIMEOUT) sleep(Duration.ofMillis(200)); // the caller waited for a response that never came
      throw surfaced(service, f.kind());
    }
  }

  private static void discard(InputStream in) {
    try (in) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The connection is closed instead of reused: fine.
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static List<String> batchEntryIds(SdkRequest request) {
    return switch (request) {
      case SendMessageBatchRequest r -> r.entries().stream().map(e -> e.id()).toList();
      case DeleteMessageBatchRequest r -> r.entries().stream().map(e -> e.id()).toList();
      case ChangeMessageVisibilityBatchRequest r -> r.entries().stream().map(e -> e.id()).toList();
      default -> List.of();
    };
  }

  // ------------------------------------------------------------------ the errors AWS would give

  /** The error a caller sees once the SDK has given up (no further retry). */
  static RuntimeException surfaced(String service, Kind kind) {
    return switch (kind) {
      case TIMEOUT -> ApiCallTimeoutException.create(2_000);
      default -> retryable(service, kind);
    };
  }

  /** An error the SDK's retry policy retries (checked in FaultInjectorTest). */
  static RuntimeException retryable(String service, Kind kind) {
    return switch (kind) {
      case THROTTLING -> throttling(service);
      case SERVER_ERROR -> serviceError(service, 503, "ServiceUnavailable",
          "The service is unavailable. Please try again shortly.");
      case CONNECTION_RESET -> SdkClientException.builder()
          .message("Unable to execute HTTP request: Connection reset").cause(new SocketException("Connection reset"))
          .build();
      case TIMEOUT -> ApiCallAttemptTimeoutException.create(1_000);
    };
  }

  private static RuntimeException throttling(String service) {
    String message = "Rate exceeded";
    return switch (service) {
      case "DynamoDb" -> ProvisionedThroughputExceededException.builder().message(message).statusCode(400)
          .awsErrorDetails(details(service, "ProvisionedThroughputExceededException", message)).build();
      case "Sqs" -> RequestThrottledException.builder().message(message).statusCode(400)
          .awsErrorDetails(details(service, "RequestThrottled", message)).build();
      case "Scheduler" -> ThrottlingException.builder().message(message).statusCode(400)
          .awsErrorDetails(details(service, "ThrottlingException", message)).build();
      case "Lambda" -> TooManyRequestsException.builder().message(message).statusCode(429)
          .awsErrorDetails(details(service, "TooManyRequestsException", message)).build();
      default -> serviceError(service, 400, "ThrottlingException", message);
    };
  }

  private static RuntimeException serviceError(String service, int status, String code, String message) {
    AwsServiceException.Builder b = switch (service) {
      case "DynamoDb" -> DynamoDbException.builder();
      case "Sqs" -> SqsException.builder();
      case "Scheduler" -> SchedulerException.builder();
      case "Lambda" -> LambdaException.builder();
      default -> AwsServiceException.builder();
    };
    return b.message(message).statusCode(status).awsErrorDetails(details(service, code, message)).build();
  }

  private static AwsErrorDetails details(String service, String code, String message) {
    return AwsErrorDetails.builder().serviceName(service).errorCode(code).errorMessage(message).build();
  }
}
