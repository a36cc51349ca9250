package dev.tempora.internal.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tempora.client.InvalidRequestException;
import dev.tempora.history.ActivityParameters;
import dev.tempora.history.Payload;
import dev.tempora.history.WorkflowStartOptions;
import dev.tempora.common.converter.EncodedValues;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import dev.tempora.internal.history.RunRecord;
import dev.tempora.internal.replay.WorkflowImplementation;
import dev.tempora.internal.replay.WorkflowLimits;
import dev.tempora.internal.schedules.CompiledSpec;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one set of checks a client request passes before anything is written, whichever way it
 * comes: the Java client (typed and untyped stubs), the CLI (through the client) and the HTTP API
 * all reach {@link WorkflowService}, which runs these first. A refusal is an {@link
 * InvalidRequestException} named as the HTTP API names it, so the three paths refuse the same
 * requests with the same names. Without these checks a typo would be accepted and fail later,
 * inside the workflow or on a queue, where the caller cannot see it.
 */
public final class RequestValidator {
  public static final int MAX_WORKFLOW_ID_LENGTH = 255;
  public static final int MAX_REQUEST_ID_LENGTH = 255;
  public static final String DEFAULT_TASK_QUEUE = "default";
  /** A task queue becomes part of an SQS queue name ({prefix}activities-{taskQueue}, at most 80 characters). */
  private static final Pattern TASK_QUEUE = Pattern.compile("[A-Za-z0-9_-]{1,40}");
  /** The converter's mapper, on first use: checking a workflow id (the CLI's every command) needs none. */
  private static ObjectMapper mapper() {
    return DataConverter.get().mapper();
  }

  private final WorkflowRegistry registry;
  private final Set<String> servedTaskQueues;
  /** The engine's published catalog, for types this process has no code of (null: none, the code is all). */
  private volatile WorkflowCatalog.Source catalog;

  /**
   * @param registry the workflow types this deployment runs (read at each check: types registered
   *     later count)
   * @param servedTaskQueues the task queues the engine has queues and workers for; empty: any
   *     well-formed name (the in-memory environment serves every task queue)
   */
  public RequestValidator(WorkflowRegistry registry, Set<String> servedTaskQueues) {
    this.registry = registry;
    this.servedTaskQueues = new TreeSet<>(servedTaskQueues);
  }

  /**
   * Checks types this process has no code of against the engine's published catalog (ADR 10's one
   * validation path for a client with only the interfaces): the type, handler names and argument
   * counts. An unknown name reads the catalog again once before the refusal (a newer deployment).
   */
  public RequestValidator withCatalog(WorkflowCatalog.Source source) {
    this.catalog = source;
    return this;
  }

  // ---- requests ----------------------------------------------------------------------------

  /** A start: the id, a registered type, a served task queue, the workflow method's arguments. */
  public void start(String workflowId, String workflowType, String taskQueue, Payload args) {
    workflowId(workflowId);
    Declared d = declared(workflowType);
    taskQueue(taskQueue);
    if (d instanceof Listed l) {
      l.arguments(l.type().workflowMethod(), args, "workflow " + workflowType);
      return;
    }
    WorkflowImplementation impl = ((Code) d).impl();
    arguments(impl.metadata().workflowMethod(), args, "workflow " + workflowType);
  }

  /** A start's checks, and the signal's: declared by the type, its arguments, its request id. */
  public void signalWithStart(String workflowId, String workflowType, String taskQueue, Payload args,
      String signalName, Payload signalArgs, String requestId) {
    start(workflowId, workflowType, taskQueue, args);
    signalArguments(declared(workflowType), signalName, signalArgs);
    optionalRequestId(requestId);
  }

  /** A signal to an existing run: declared by the run's type, its arguments, its request id. */
  public void signal(RunRecord run, String signalName, Payload args, String requestId) {
    signalArguments(declaredType(run), signalName, args);
    optionalRequestId(requestId);
  }

  /** An update of an existing run: declared by the run's type, its arguments, its update id. */
  public void update(RunRecord run, String updateName, Payload args, String updateId) {
    Declared d = declaredType(run);
    if (d instanceof Listed l) {
      l.handler("update", l.type().updates(), updateName, InvalidRequestException.UNKNOWN_UPDATE, args);
      optionalRequestId(updateId);
      return;
    }
    WorkflowImplementation impl = ((Code) d).impl();
    if (impl.dynamic()) {
      // A dynamic workflow declares no updates: any name may reach its dynamic handler.
      DataConverter.checked(args == null ? new Payload("[]") : args);
      optionalRequestId(updateId);
      return;
    }
    Map<String, Method> updates = impl.metadata().updates();
    Method method = updates.get(updateName);
    if (method == null) {
      throw refuse(InvalidRequestException.UNKNOWN_UPDATE, "workflow type " + impl.workflowType() + " has no update '"
          + updateName + "' (its updates: " + names(updates.keySet()) + ")");
    }
    arguments(method, args, "update '" + updateName + "' of " + impl.workflowType());
    optionalRequestId(updateId);
  }

  /** A query of an existing run: declared by the run's type, and its arguments. */
  public void query(RunRecord run, String queryName, Payload args) {
    Declared d = declaredType(run);
    if (d instanceof Listed l) {
      l.handler("query", l.type().queries(), queryName, InvalidRequestException.UNKNOWN_QUERY, args);
      return;
    }
    WorkflowImplementation impl = ((Code) d).impl();
    if (impl.dynamic()) {
      return; // any name may reach a dynamic workflow's dynamic handler
    }
    Map<String, Method> queries = impl.metadata().queries();
    Method method = queries.get(queryName);
    if (method == null) {
      throw refuse(InvalidRequestException.UNKNOWN_QUERY, "workflow type " + impl.workflowType() + " has no query '"
          + queryName + "' (its queries: " + names(queries.keySet()) + ")");
    }
    arguments(method, args, "query '" + queryName + "' of " + impl.workflowType());
  }

  /**
   * A start's timeouts, retry policy and memo, normalized as Temporal does: a zero timeout is no
   * timeout, and a run timeout longer than the execution timeout is the execution timeout.
   * Refusals: {@code InvalidDuration} (negative, or a deadline past what can be scheduled),
   * {@code InvalidRetryOptions}, {@code InvalidMemo}.
   */
  public WorkflowStartOptions startOptions(WorkflowStartOptions options, Instant now) {
    if (options == null) {
      return WorkflowStartOptions.NONE;
    }
    Duration execution = timeout("workflowExecutionTimeout", options.workflowExecutionTimeout(), now);
    Duration run = timeout("workflowRunTimeout", options.workflowRunTimeout(), now);
    if (execution != null && (run == null || run.compareTo(execution) > 0)) {
      run = execution;
    }
    retryPolicy(options.retryPolicy());
    memo(options.memo());
    String cron = options.cronSchedule();
    if (cron != null) {
      CompiledSpec.cron(cron, ZoneOffset.UTC); // InvalidCronExpression, InvalidTimeZone
    }
    Duration delay = options.firstWorkflowTaskBackoff();
    if (delay != null) {
      duration("startDelay", delay, now);
      if (now.plus(delay).isAfter(WorkflowLimits.LATEST_FIRE_TIME)) {
        throw refuse(InvalidRequestException.INVALID_DURATION, "startDelay " + delay + " ends after "
            + WorkflowLimits.LATEST_FIRE_TIME + ", the latest time Tempora can schedule");
      }
      delay = delay.isZero() ? null : delay;
    }
    if (cron != null && delay != null) {
      throw refuse(InvalidRequestException.INVALID_FIELD, "startDelay cannot be used with cronSchedule (a cron "
          + "workflow's first run waits for its first fire time)");
    }
    return new WorkflowStartOptions(execution, run, null, options.retryPolicy(), options.memo(), 1, delay, cron, null,
        null, options.searchAttributes());
  }

  /** A workflow timeout: null or zero is none; else positive, and its deadline one a timer can have. */
  private static Duration timeout(String what, Duration d, Instant now) {
    if (d == null || d.isZero()) {
      return null;
    }
    duration(what, d, now);
    if (now.plus(d).isAfter(WorkflowLimits.LATEST_FIRE_TIME)) {
      throw refuse(InvalidRequestException.INVALID_DURATION, what + " " + d + " ends after "
          + WorkflowLimits.LATEST_FIRE_TIME + ", the latest time Tempora can schedule");
    }
    return d;
  }

  /** The checks RetryOptions' builder makes, for policies that did not come through it (the HTTP API). */
  public static void retryPolicy(ActivityParameters.RetryPolicy p) {
    if (p == null) {
      return;
    }
    String wrong = null;
    if (p.initialInterval() == null || p.initialInterval().isNegative() || p.initialInterval().isZero()) {
      wrong = "initialInterval must be positive, got " + p.initialInterval();
    } else if (!(p.backoffCoefficient() >= 1.0) || Double.isInfinite(p.backoffCoefficient())) {
      wrong = "backoffCoefficient must be a number >= 1, got " + p.backoffCoefficient();
    } else if (p.maximumInterval() == null || p.maximumInterval().compareTo(p.initialInterval()) < 0) {
      wrong = "maximumInterval (" + p.maximumInterval() + ") must be at least initialInterval (" + p.initialInterval() + ")";
    } else if (p.maximumAttempts() < 0) {
      wrong = "maximumAttempts must be >= 0 (0 = unlimited), got " + p.maximumAttempts();
    } else if (p.doNotRetry() == null || p.doNotRetry().stream().anyMatch(t -> t == null || t.isBlank())) {
      wrong = "doNotRetry must list non-blank failure types";
    }
    if (wrong != null) {
      throw refuse(InvalidRequestException.INVALID_RETRY_OPTIONS, "retry options: " + wrong);
    }
  }

  /**
   * Memo keys are 1-255 characters of well-formed Unicode; values are JSON, all of them together
   * at most {@link DataConverter#MAX_PAYLOAD_BYTES} (Temporal's memo limit is 2 MB too).
   */
  public static void memo(Map<String, Payload> memo) {
    if (memo == null) {
      return;
    }
    long bytes = 0;
    for (Map.Entry<String, Payload> e : memo.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isBlank() || key.length() > MAX_WORKFLOW_ID_LENGTH) {
        throw refuse(InvalidRequestException.INVALID_MEMO, "memo keys must be 1-" + MAX_WORKFLOW_ID_LENGTH
            + " non-blank characters, got " + (key == null ? "none" : key.isBlank() ? "a blank one" : key.length()
            + " characters"));
      }
      requireWellFormed(key, "memo key", InvalidRequestException.INVALID_MEMO);
      if (e.getValue() == null || e.getValue().json() == null) {
        throw refuse(InvalidRequestException.INVALID_MEMO, "memo '" + key + "' has no value");
      }
      try {
        mapper().readTree(e.getValue().json());
      } catch (JsonProcessingException x) {
        throw refuse(InvalidRequestException.INVALID_MEMO, "memo '" + key + "' is not JSON: "
            + firstLine(x.getOriginalMessage()));
      }
      bytes += key.length() + e.getValue().sizeBytes();
    }
    if (bytes > DataConverter.MAX_PAYLOAD_BYTES) {
      throw refuse(InvalidRequestException.INVALID_MEMO, "the memo has " + bytes + " bytes; the limit is "
          + DataConverter.MAX_PAYLOAD_BYTES);
    }
  }

  /**
   * The task queue, if it is well formed and served here: the configured queues, else those of the
   * published catalog (read again once before a refusal), else any.
   */
  public String taskQueue(String taskQueue) {
    taskQueueName(taskQueue);
    Set<String> served = servedTaskQueues;
    if (served.isEmpty() && catalog != null) {
      served = catalog.get(false).map(c -> Set.copyOf(c.taskQueues())).orElse(Set.of());
      if (!served.isEmpty() && !served.contains(taskQueue)) {
        served = catalog.get(true).map(c -> Set.copyOf(c.taskQueues())).orElse(Set.of());
      }
    }
    if (!served.isEmpty() && !served.contains(taskQueue)) {
      throw refuse(InvalidRequestException.UNKNOWN_TASK_QUEUE, "task queue '" + taskQueue
          + "' is not served by this deployment (served: " + String.join(", ", new TreeSet<>(served))
          + "): its activities would have no queue and no worker");
    }
    return taskQueue;
  }

  /** What a type declares: this process's code of it, or the published catalog's entry. */
  private sealed interface Declared permits Code, Listed {}

  private record Code(WorkflowImplementation impl) implements Declared {}

  /** A type known from the catalog only ({@code type} null: the deployment's dynamic workflow takes it). */
  private record Listed(String name, WorkflowCatalog.WorkflowType type) implements Declared {
    void arguments(List<String> parameters, Payload args, String what) {
      DataConverter.checked(args == null ? new Payload("[]") : args);
      if (args != null && args.metadata() != null) {
        return; // a custom converter's or a codec's payload: only the worker's converter can read it
      }
      int given;
      try {
        JsonNode parsed = args == null ? mapper().createArrayNode() : mapper().readTree(args.json());
        if (!(parsed instanceof ArrayNode array)) {
          throw refuse(InvalidRequestException.INVALID_ARGUMENTS, "the arguments of " + what
              + " must be a JSON array, got " + kind(parsed));
        }
        given = array.size();
      } catch (JsonProcessingException e) {
        throw refuse(InvalidRequestException.INVALID_ARGUMENTS, "the arguments of " + what + " are not JSON: "
            + firstLine(e.getOriginalMessage()));
      }
      if (given != parameters.size()) {
        throw refuse(InvalidRequestException.INVALID_ARGUMENTS, what + " takes " + parameters.size() + " argument"
            + (parameters.size() == 1 ? "" : "s") + (parameters.isEmpty() ? "" : " (" + parameters.stream()
            .map(p -> p.replaceAll("[a-z0-9_]+\\.", "")).collect(Collectors.joining(", ")) + ")") + ", got " + given);
      }
    }

    void handler(String kind, Map<String, List<String>> declared, String name, String error, Payload args) {
      if (type == null) {
        DataConverter.checked(args == null ? new Payload("[]") : args); // any name reaches a dynamic workflow
        return;
      }
      List<String> parameters = declared.get(name);
      if (parameters == null) {
        String plural = kind.equals("query") ? "queries" : kind + "s";
        throw refuse(error, "workflow type " + this.name + " has no " + kind + " '" + name + "' (its " + plural + ": "
            + names(declared.keySet()) + ")");
      }
      arguments(parameters, args, kind + " '" + name + "' of " + this.name);
    }
  }

  private Declared declared(String workflowType) {
    Optional<WorkflowImplementation> impl = registry.get(workflowType);
    if (impl.isPresent()) return new Code(impl.get());
    Optional<Declared> listed = listed(workflowType);
    return listed.orElseThrow(() -> refuse(InvalidRequestException.UNKNOWN_WORKFLOW_TYPE,
        "workflow type '" + workflowType + "' is not registered (registered: " + names(knownTypes()) + ")"
            + noCatalog()));
  }

  /** The code of an existing run's type; a deployment that dropped the type cannot check or run it. */
  private Declared declaredType(RunRecord run) {
    Optional<WorkflowImplementation> impl = registry.get(run.workflowType());
    if (impl.isPresent()) return new Code(impl.get());
    return listed(run.workflowType()).orElseThrow(() -> refuse(InvalidRequestException.UNKNOWN_WORKFLOW_TYPE,
        "workflow " + run.run().workflowId() + " runs type '" + run.workflowType()
            + "', which this deployment does not register (registered: " + names(knownTypes()) + ")"));
  }

  /** The type in the catalog, read again once when the cached one does not list it. */
  private Optional<Declared> listed(String workflowType) {
    WorkflowCatalog.Source source = catalog;
    if (source == null) return Optional.empty();
    Optional<Declared> found = source.get(false).flatMap(c -> entry(c, workflowType));
    return found.isPresent() ? found : source.get(true).flatMap(c -> entry(c, workflowType));
  }

  private static Optional<Declared> entry(WorkflowCatalog c, String workflowType) {
    WorkflowCatalog.WorkflowType t = c.types().get(workflowType);
    if (t != null) return Optional.of(new Listed(workflowType, t));
    return c.dynamic() ? Optional.of(new Listed(workflowType, null)) : Optional.empty();
  }

  /** Why a client without the code knows no types yet. */
  private String noCatalog() {
    WorkflowCatalog.Source source = catalog;
    return source != null && registry.types().isEmpty() && source.get(false).isEmpty()
        ? "; the engine has published no workflow catalog yet (its coordinator does when it starts)" : "";
  }

  private Set<String> knownTypes() {
    Set<String> types = new TreeSet<>(registry.types());
    WorkflowCatalog.Source source = catalog;
    if (source != null) source.get(false).ifPresent(c -> types.addAll(c.types().keySet()));
    return types;
  }

  /** A signal's name, and its arguments, as the type declares them. */
  private static void signalArguments(Declared d, String signalName, Payload args) {
    if (d instanceof Listed l) {
      l.handler("signal", l.type() == null ? Map.of() : l.type().signals(), signalName,
          InvalidRequestException.UNKNOWN_SIGNAL, args);
      return;
    }
    WorkflowImplementation impl = ((Code) d).impl();
    if (impl.dynamic()) {
      // A dynamic workflow declares no signals: any name may reach its dynamic handler.
      DataConverter.checked(args == null ? new Payload("[]") : args);
      return;
    }
    Method m = impl.metadata().signals().get(signalName);
    if (m == null) {
      throw refuse(InvalidRequestException.UNKNOWN_SIGNAL, "workflow type " + impl.workflowType() + " has no signal '"
          + signalName + "' (its signals: " + names(impl.metadata().signals().keySet()) + ")");
    }
    arguments(m, args, "signal '" + signalName + "' of " + impl.workflowType());
  }

  private static void optionalRequestId(String requestId) {
    if (requestId != null) {
      requestId(requestId);
    }
  }

  // ---- values ------------------------------------------------------------------------------

  /**
   * The id, if it is 1-255 characters, not blank, and well-formed Unicode. A lone surrogate is
   * refused: DynamoDB stores strings as UTF-8, where it becomes '?', so {@code alias-\ud800},
   * {@code alias-\udbff} and {@code alias-?} would be one workflow.
   */
  public static String workflowId(String id) {
    if (id == null || id.isBlank() || id.length() > MAX_WORKFLOW_ID_LENGTH) {
      throw refuse(InvalidRequestException.INVALID_WORKFLOW_ID, "workflow id must be 1-" + MAX_WORKFLOW_ID_LENGTH
          + " non-blank characters, got " + (id == null ? "none" : id.isBlank() ? "a blank one" : id.length() + " characters"));
    }
    requireWellFormed(id, "workflow id", InvalidRequestException.INVALID_WORKFLOW_ID);
    return id;
  }

  /** A signal's request id: the same rules as a workflow id (it is part of the message id). */
  public static String requestId(String id) {
    if (id == null || id.isBlank() || id.length() > MAX_REQUEST_ID_LENGTH) {
      throw refuse(InvalidRequestException.INVALID_REQUEST_ID, "request id must be 1-" + MAX_REQUEST_ID_LENGTH
          + " non-blank characters, got " + (id == null ? "none" : id.isBlank() ? "a blank one" : id.length() + " characters"));
    }
    requireWellFormed(id, "request id", InvalidRequestException.INVALID_REQUEST_ID);
    return id;
  }

  /** The name, if it can name an SQS queue; whether it is served is {@link #taskQueue}'s question. */
  public static String taskQueueName(String taskQueue) {
    if (taskQueue == null || !TASK_QUEUE.matcher(taskQueue).matches()) {
      throw refuse(InvalidRequestException.INVALID_FIELD, "taskQueue " + (taskQueue == null ? "is missing"
          : "'" + taskQueue + "' is not a task queue name") + ": a task queue is 1-40 letters, digits, '-' or '_' (it names an SQS queue)");
    }
    return taskQueue;
  }

  /** A timeout or delay: present, not negative, and still a time when added to {@code now}. */
  public static Duration duration(String what, Duration d, Instant now) {
    if (d == null) {
      throw refuse(InvalidRequestException.INVALID_DURATION, what + " is missing");
    }
    if (d.isNegative()) {
      throw refuse(InvalidRequestException.INVALID_DURATION, what + " is negative: " + d);
    }
    try {
      now.plus(d);
    } catch (DateTimeException | ArithmeticException e) {
      throw refuse(InvalidRequestException.INVALID_DURATION, what + " " + d + " overflows when added to the time now");
    }
    return d;
  }

  private static void requireWellFormed(String s, String what, String error) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a pair: one supplementary character
      } else if (Character.isSurrogate(c)) {
        throw refuse(error, what + " has a lone surrogate (U+" + Integer.toHexString(c).toUpperCase() + ") at index "
            + i + ": it must be well-formed Unicode (stored as UTF-8, a lone surrogate becomes '?' and the id would "
            + "alias another)");
      }
    }
  }

  // ---- arguments ---------------------------------------------------------------------------

  /**
   * The arguments against the method that will receive them (workflow, signal or query method):
   * the count must match and each element must convert to its parameter type, as the data
   * converter will convert it when the workflow runs.
   *
   * @param what names the method in messages, e.g. "signal 'approve' of ExpenseWorkflow"
   */
  public static void arguments(Method method, Payload args, String what) {
    DataConverter.checked(args == null ? new Payload("[]") : args);
    if (args != null && args.metadata() != null) {
      return; // a custom converter's or a codec's payload: only the worker's converter can read it
    }
    JsonNode parsed;
    try {
      ObjectMapper mapper = mapper();
      parsed = args == null ? mapper.createArrayNode() : mapper.readTree(args.json());
    } catch (JsonProcessingException e) {
      throw refuse(InvalidRequestException.INVALID_ARGUMENTS, "the arguments of " + what + " are not JSON: "
          + firstLine(e.getOriginalMessage()));
    }
    if (!(parsed instanceof ArrayNode array)) {
      throw refuse(InvalidRequestException.INVALID_ARGUMENTS, "the arguments of " + what
          + " must be a JSON array, got " + kind(parsed));
    }
    arguments(method, array, what);
  }

  /** {@link #arguments(Method, Payload, String)} over a parsed array (null: none). */
  public static void arguments(Method method, ArrayNode args, String what) {
    if (method.getParameterCount() == 1 && method.getParameterTypes()[0] == EncodedValues.class) {
      return; // a dynamic workflow takes any arguments, undecoded
    }
    int expected = method.getParameterCount();
    int given = args == null ? 0 : args.size();
    if (given != expected) {
      throw refuse(InvalidRequestException.INVALID_ARGUMENTS, what + " takes " + expected + " argument"
          + (expected == 1 ? "" : "s") + signature(method) + ", got " + given);
    }
    Type[] types = method.getGenericParameterTypes();
    for (int i = 0; i < expected; i++) {
      JsonNode element = args.get(i);
      try {
        mapper().treeToValue(element, mapper().constructType(types[i]));
      } catch (Exception e) { // JsonProcessingException, or IllegalArgumentException from a converter
        String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        throw refuse(InvalidRequestException.INVALID_ARGUMENTS, "argument " + (i + 1) + " of " + what + " ("
            + simpleName(types[i]) + ") does not convert from " + kind(element) + ": " + firstLine(reason));
      }
    }
  }

  /** How a JSON value is named in messages: "an object", "a string", ... */
  public static String kind(JsonNode v) {
    return switch (v.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> v.getNodeType().name().toLowerCase();
    };
  }

  private static String signature(Method m) {
    if (m.getParameterCount() == 0) {
      return "";
    }
    return " (" + Arrays.stream(m.getGenericParameterTypes()).map(RequestValidator::simpleName)
        .collect(Collectors.joining(", ")) + ")";
  }

  private static String simpleName(Type t) {
    return t instanceof Class<?> c ? c.getSimpleName() : t.getTypeName().replaceAll("[a-z0-9_]+\\.", "");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String names(Collection<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
  }

  private static InvalidRequestException refuse(String error, String detail) {
    return new InvalidRequestException(error, detail);
  }
}
