package dev.tempora.devserver;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * A stand-in for EventBridge Scheduler that really fires: the REST-JSON API subset Tempora uses
 * (CreateSchedule {@code POST /schedules/{Name}}, GetSchedule {@code GET /schedules/{Name}},
 * UpdateSchedule {@code PUT /schedules/{Name}}, DeleteSchedule {@code DELETE /schedules/{Name}},
 * ListSchedules {@code GET /schedules}), and a background thread that sends each due one-time
 * schedule's {@code Target.Input} to the SQS queue named by {@code Target.Arn}. Point a real
 * {@code SchedulerClient} at {@link #endpoint()}. (LocalStack only stores schedules.)
 *
 * <p>Time is an injectable {@link InstantSource} plus an offset that tests move with {@link
 * #advanceClock}, so a timer 20 minutes out fires at once; every ~100 ms of wall time (and right
 * after the clock moves) due schedules fire. {@code at(yyyy-mm-ddThh:mm:ss)} is read in {@code
 * ScheduleExpressionTimezone}, UTC by default.
 *
 * <p>Differences from EventBridge Scheduler, deliberate for now:
 *
 * <ul>
 *   <li>{@code at()}, {@code rate()} and {@code cron()} expressions, in {@code
 *       ScheduleExpressionTimezone} (DST as Scheduler documents it: a nonexistent local time is
 *       skipped, a repeated one fires once); a rate schedule first fires at its start. The input's
 *       {@code <aws.scheduler.scheduled-time>}, {@code schedule-arn}, {@code execution-id} and
 *       {@code attempt-number} are filled in. Only SQS queue targets (others: ValidationException).
 *   <li>Fires on time to ~100 ms; AWS fires within the minute after the time (60 s precision), and
 *       at a random point of a FLEXIBLE time window, where this fires at its start. An {@code at()}
 *       already in the past fires at the next check.
 *   <li>A send that fails is retried every second of wall time until it succeeds or the schedule
 *       is deleted; {@code RetryPolicy} and {@code DeadLetterConfig} are stored, not honoured.
 *   <li>Schedule groups are not managed: any GroupName is accepted (AWS wants it to exist), {@code
 *       default} if omitted. No tags, KMS, no IAM; StartDate and EndDate bound recurring schedules:
 *       a request must be signed with the stack's credential, and nothing else is checked.
 *   <li>FIFO targets: {@code SqsParameters.MessageGroupId} is required and no deduplication id is
 *       sent, so the queue needs content-based deduplication, as on AWS.
 *   <li>Without {@code Target.Input} the message body is {@code {}}.
 * </ul>
 *
 * <p>Errors have AWS's shape: header {@code x-amzn-ErrorType} and body {@code {"Message":...}}:
 * ConflictException 409 (name taken in the group), ResourceNotFoundException 404,
 * ValidationException 400 (a body over 1 MiB too); a request not signed with the stack's credential
 * is 403 (UnrecognizedClientException, InvalidSignatureException, MissingAuthenticationTokenException).
 * The listener's own refusals ({@link Refusal}) come in the same shape; a failure of the stand-in
 * is InternalServerException 500 with an error id (the log has the details).
 *
 * <p>With a state file ({@link #start(SqsClient, InstantSource, AwsCredentials, HttpLimits, Path)})
 * the schedules and the clock's offset are written there (atomically) before a change is answered,
 * and a start takes them up: a devserver restarted on its data directory fires what it would
 * have. A firing and its record are not one step: a crash between them fires once more at the
 * next start (EventBridge Scheduler, too, delivers at least once).
 */
public final class SchedulerEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SchedulerEndpoint.class);
  private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z\\-_.]{1,64}");
  private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");
  private static final Pattern SQS_ARN = Pattern.compile("arn:aws[a-z-]*:sqs:[a-z0-9-]+:\\d{12}:([A-Za-z0-9_-]{1,80}(?:\\.fifo)?)");
  private static final Duration TICK = Duration.ofMillis(100);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final ObjectMapper json = new ObjectMapper();
  private final SqsClient sqs;
  private static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** AWS's REST-JSON error shape, which the SDK maps to its exceptions. */
  static final ErrorShape ERRORS = new ErrorShape() {
    @Override
    public LocalReply reply(int status, String name, String message) {
      return LocalReply.json(status, Map.of("x-amzn-ErrorType", name),
          JSON.createObjectNode().put("Message", message).toString());
    }

    @Override
    public String name(Refusal refusal) {
      return switch (refusal) {
        case INTERNAL_ERROR -> "InternalServerException";
        case PAYLOAD_TOO_LARGE -> "ValidationException";
        default -> refusal.errorName();
      };
    }
  };

  private final SigV4Verifier verifier;
  private final LocalHttpServer server;
  private final Thread ticker;
  private volatile boolean running = true;

  private final Object clockLock = new Object();
  private volatile InstantSource clock;
  private volatile Duration offset = Duration.ZERO;

  /** All schedules by group/name; guarded by {@code this}. */
  private final Map<String, Schedule> schedules = new TreeMap<>();
  private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
  private final AtomicLong fired = new AtomicLong();

  /** One schedule: its definition as last written, and firing state. */
  private static final class Schedule {
    final String group;
    final String name;
    final Instant created;
    Instant modified;
    ObjectNode definition; // the Create/Update body, minus Name
    Instant fireAt;
    Recurrence recurrence; // null for a one-time at() schedule
    Instant endDate;
    boolean completed;
    boolean firing;
    long retryAtNanos; // wall time (System.nanoTime) before which a failed send is not retried

    Schedule(String group, String name, Instant created) {
      this.group = group;
      this.name = name;
      this.created = created;
    }

    String state() {
      return definition.path("State").asText("ENABLED");
    }
  }

  /** Where schedules and the clock's offset are kept (null: in memory only). */
  private final Path stateFile;

  private SchedulerEndpoint(SqsClient sqs, InstantSource clock, AwsCredentials credentials, HttpLimits limits,
      Path stateFile) {
    this.sqs = sqs;
    this.clock = clock;
    this.stateFile = stateFile;
    if (stateFile != null) {
      load();
    }
    this.verifier = new SigV4Verifier(credentials);
    this.server = LocalHttpServer.start("scheduler", 0, limits, MAX_BODY_BYTES, ERRORS,
        request -> LocalHttpServer.Outcome.reply(handle(request)));
    this.ticker = Thread.ofPlatform().daemon().name("scheduler-endpoint-ticker").start(this::tickLoop);
  }

  /**
   * Starts the endpoint on 127.0.0.1 and a free port, on the system clock; sends through {@code
   * sqs}; serves requests signed with {@code credentials} only.
   */
  public static SchedulerEndpoint start(SqsClient sqs, AwsCredentials credentials) {
    return start(sqs, InstantSource.system(), credentials);
  }

  public static SchedulerEndpoint start(SqsClient sqs, InstantSource clock, AwsCredentials credentials) {
    return start(sqs, clock, credentials, HttpLimits.defaults());
  }

  public static SchedulerEndpoint start(SqsClient sqs, InstantSource clock, AwsCredentials credentials,
      HttpLimits limits) {
    return new SchedulerEndpoint(sqs, clock, credentials, limits, null);
  }

  /**
   * As above, keeping schedules and the clock's offset in {@code stateFile} (null: in memory), and
   * taking up those an earlier start kept there.
   */
  public static SchedulerEndpoint start(SqsClient sqs, InstantSource clock, AwsCredentials credentials,
      HttpLimits limits, Path stateFile) {
    return new SchedulerEndpoint(sqs, clock, credentials, limits, stateFile);
  }

  /** The endpoint to give {@code SchedulerClient.builder().endpointOverride(...)}. */
  public URI endpoint() {
    return server.endpoint();
  }

  /** The scheduler's current time. */
  public Instant now() {
    synchronized (clockLock) {
      return clock.instant().plus(offset);
    }
  }

  /** Moves the scheduler's time forward (or back, if negative); due schedules fire right away. */
  public void advanceClock(Duration by) {
    synchronized (clockLock) {
      offset = offset.plus(by);
    }
    persist();
    // Due schedules have sent their messages when this returns, so a caller that then waits for
    // the queues to drain sees them.
    try {
      fireDue();
    } catch (RuntimeException e) {
      log.error("Scheduler firing failed", e);
    }
    LockSupport.unpark(ticker);
  }

  /**
   * Where a test backend's time skipping should move the clock next: a recurring schedule's next
   * fire time, or a one-time schedule's plus {@code lead} (long timers are set that much early).
   */
  public synchronized Optional<Instant> nextSkipTime(Duration lead) {
    Instant now = now();
    return schedules.values().stream().filter(x -> !x.completed && x.fireAt != null && x.state().equals("ENABLED"))
        .map(x -> x.recurrence != null ? x.fireAt : x.fireAt.plus(lead)).filter(t -> t.isAfter(now))
        .min(Instant::compareTo);
  }

  /** Replaces the clock (and forgets earlier advances); due schedules fire right away. */
  public void setClock(InstantSource newClock) {
    synchronized (clockLock) {
      clock = newClock;
      offset = Duration.ZERO;
    }
    persist();
    LockSupport.unpark(ticker);
  }

  /** Targets invoked so far. */
  /** When the earliest waiting schedule fires, if any (for time skipping on the embedded stack). */
  public synchronized Optional<Instant> nextFireTime() {
    Instant now = now();
    return schedules.values().stream().map(x -> x.fireAt).filter(t -> t != null && t.isAfter(now))
        .min(Instant::compareTo);
  }

  public long fired() {
    return fired.get();
  }

  /** Schedules currently stored (fired ones with ActionAfterCompletion NONE included). */
  public synchronized int size() {
    return schedules.size();
  }

  public static String scheduleArn(String group, String name) {
    return "arn:aws:scheduler:" + EmbeddedAws.REGION.id() + ":" + EmbeddedAws.ACCOUNT_ID + ":schedule/" + group + "/" + name;
  }

  // --- HTTP ---

  /** A request error with AWS's error type; becomes the error response. */
  private static final class ApiError extends Exception {
    final int status;
    final String type;

    ApiError(int status, String type, String message) {
      super(message, null, false, false);
      this.status = status;
      this.type = type;
    }

    static ApiError validation(String message) {
      return new ApiError(400, "ValidationException", message);
    }

    static ApiError notFound(String group, String name) {
      return new ApiError(404, "ResourceNotFoundException", "Schedule " + name + " does not exist in group " + group + ".");
    }
  }

  private LocalReply handle(LocalRequest request) {
    Optional<SigV4Verifier.Refused> refused = verifier.check(request);
    if (refused.isPresent()) {
      return ERRORS.reply(403, refused.get().error(), refused.get().message());
    }
    try {
      String path = request.path();
      String method = request.method();
      Map<String, String> query = request.query();
      String response;
      if (path.equals("/schedules") || path.equals("/schedules/")) {
        if (!method.equals("GET")) throw unknown(method, path);
        response = list(query);
      } else if (path.startsWith("/schedules/") && path.indexOf('/', "/schedules/".length()) < 0) {
        String name = path.substring("/schedules/".length());
        response =
            switch (method) {
              case "POST" -> create(name, body(request));
              case "PUT" -> update(name, body(request));
              case "GET" -> get(group(query.get("groupName")), name);
              case "DELETE" -> delete(group(query.get("groupName")), name);
              default -> throw unknown(method, path);
            };
      } else {
        throw unknown(method, path);
      }
      return LocalReply.json(200, Map.of(), response);
    } catch (ApiError e) {
      return ERRORS.reply(e.status, e.type, e.getMessage());
    }
  }

  private static ApiError unknown(String method, String path) {
    return new ApiError(404, "UnknownOperationException", "The devserver's Scheduler has no operation " + method + " "
        + LocalHttpServer.printable(path));
  }

  private ObjectNode body(LocalRequest request) throws ApiError {
    byte[] bytes = request.body();
    try {
      JsonNode node = json.readTree(new String(bytes, StandardCharsets.UTF_8));
      if (node == null || node.isMissingNode()) return json.createObjectNode();
      if (!node.isObject()) throw ApiError.validation("Request body must be a JSON object");
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw ApiError.validation("Request body is not JSON: " + e.getOriginalMessage());
    }
  }

  private static String group(String groupName) {
    return groupName == null || groupName.isEmpty() ? "default" : groupName;
  }

  private static String key(String group, String name) {
    return group + "/" + name;
  }

  // --- operations ---

  private String create(String name, ObjectNode body) throws ApiError {
    String group = group(body.path("GroupName").asText(null));
    Instant now = now();
    Timing fireAt = validate(name, group, body, now);
    synchronized (this) {
      if (schedules.containsKey(key(group, name))) {
        throw new ApiError(409, "ConflictException", "Schedule " + name + " already exists.");
      }
      Schedule s = new Schedule(group, name, now);
      write(s, body, fireAt, now);
      schedules.put(key(group, name), s);
      persist();
    }
    LockSupport.unpark(ticker); // an at() in the past fires now rather than at the next tick
    return json.createObjectNode().put("ScheduleArn", scheduleArn(group, name)).toString();
  }

  private String update(String name, ObjectNode body) throws ApiError {
    String group = group(body.path("GroupName").asText(null));
    Instant now = now();
    Timing fireAt = validate(name, group, body, now);
    synchronized (this) {
      Schedule s = schedules.get(key(group, name));
      if (s == null) throw ApiError.notFound(group, name);
      write(s, body, fireAt, now);
      persist();
    }
    LockSupport.unpark(ticker);
    return json.createObjectNode().put("ScheduleArn", scheduleArn(group, name)).toString();
  }

  private static void write(Schedule s, ObjectNode body, Timing timing, Instant now) {
    ObjectNode definition = body.deepCopy();
    definition.remove(List.of("Name", "GroupName", "ClientToken"));
    s.definition = definition;
    s.fireAt = timing.first();
    s.recurrence = timing.recurrence();
    s.endDate = timing.end();
    s.modified = now;
    s.completed = false;
    s.retryAtNanos = 0;
  }

  private String get(String group, String name) throws ApiError {
    ObjectNode out;
    synchronized (this) {
      Schedule s = schedules.get(key(group, name));
      if (s == null) throw ApiError.notFound(group, name);
      out = s.definition.deepCopy();
      out.put("Arn", scheduleArn(group, name));
      out.put("Name", name);
      out.put("GroupName", group);
      out.put("State", s.state());
      out.put("ActionAfterCompletion", s.definition.path("ActionAfterCompletion").asText("NONE"));
      out.put("CreationDate", epochSeconds(s.created));
      out.put("LastModificationDate", epochSeconds(s.modified));
    }
    return out.toString();
  }

  private String delete(String group, String name) throws ApiError {
    synchronized (this) {
      if (schedules.remove(key(group, name)) == null) throw ApiError.notFound(group, name);
      persist();
    }
    return "{}";
  }

  private String list(Map<String, String> query) throws ApiError {
    String group = query.get("ScheduleGroup");
    String prefix = query.get("NamePrefix");
    String state = query.get("State");
    int max = parseInt(query.getOrDefault("MaxResults", "100"), "MaxResults");
    int from = parseInt(query.getOrDefault("NextToken", "0"), "NextToken");
    if (max < 1 || max > 100) throw ApiError.validation("MaxResults must be 1..100");
    List<Schedule> matching = new ArrayList<>();
    synchronized (this) {
      for (Schedule s : schedules.values()) {
        if (group != null && !group.equals(s.group)) continue;
        if (prefix != null && !s.name.startsWith(prefix)) continue;
        if (state != null && !state.equals(s.state())) continue;
        matching.add(s);
      }
      matching.sort(Comparator.comparing((Schedule s) -> s.group).thenComparing(s -> s.name));
      ObjectNode out = json.createObjectNode();
      ArrayNode items = out.putArray("Schedules");
      for (Schedule s : matching.subList(Math.min(from, matching.size()), Math.min(from + max, matching.size()))) {
        ObjectNode item = items.addObject();
        item.put("Arn", scheduleArn(s.group, s.name));
        item.put("Name", s.name);
        item.put("GroupName", s.group);
        item.put("State", s.state());
        item.put("CreationDate", epochSeconds(s.created));
        item.put("LastModificationDate", epochSeconds(s.modified));
        item.putObject("Target").put("Arn", s.definition.path("Target").path("Arn").asText());
      }
      if (from + max < matching.size()) out.put("NextToken", Integer.toString(from + max));
      return out.toString();
    }
  }

  private static int parseInt(String value, String field) throws ApiError {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiError.validation("Invalid " + field + ": " + value);
    }
  }

  /** Checks a Create/Update body as the service would (the subset we support); returns the fire time. */
  private Timing validate(String name, String group, ObjectNode body, Instant now) throws ApiError {
    if (!NAME.matcher(name).matches()) throw ApiError.validation("Invalid schedule name " + name + ": [0-9a-zA-Z-_.]{1,64}");
    if (!NAME.matcher(group).matches()) throw ApiError.validation("Invalid group name " + group);
    String expression = body.path("ScheduleExpression").asText(null);
    if (expression == null) throw ApiError.validation("ScheduleExpression is required");
    JsonNode window = body.path("FlexibleTimeWindow");
    String mode = window.path("Mode").asText(null);
    if (!"OFF".equals(mode) && !"FLEXIBLE".equals(mode)) throw ApiError.validation("FlexibleTimeWindow.Mode must be OFF or FLEXIBLE");
    if (mode.equals("FLEXIBLE")) {
      int minutes = window.path("MaximumWindowInMinutes").asInt(0);
      if (minutes < 1 || minutes > 1440) throw ApiError.validation("FlexibleTimeWindow.MaximumWindowInMinutes must be 1..1440");
    }
    String state = body.path("State").asText("ENABLED");
    if (!state.equals("ENABLED") && !state.equals("DISABLED")) throw ApiError.validation("State must be ENABLED or DISABLED");
    String after = body.path("ActionAfterCompletion").asText("NONE");
    if (!after.equals("NONE") && !after.equals("DELETE")) throw ApiError.validation("ActionAfterCompletion must be NONE or DELETE");

    JsonNode target = body.path("Target");
    String arn = target.path("Arn").asText(null);
    if (arn == null || target.path("RoleArn").asText(null) == null) throw ApiError.validation("Target.Arn and Target.RoleArn are required");
    Matcher queue = SQS_ARN.matcher(arn);
    if (!queue.matches()) throw ApiError.validation("The devserver's Scheduler only targets SQS queues (arn:aws:sqs:<region>:<account>:<queue>), not " + arn);
    if (queue.group(1).endsWith(".fifo") && target.path("SqsParameters").path("MessageGroupId").asText("").isEmpty()) {
      throw ApiError.validation("Target.SqsParameters.MessageGroupId is required for a FIFO queue target");
    }

    ZoneId zoneId;
    try {
      String zone = body.path("ScheduleExpressionTimezone").asText(null);
      zoneId = zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw ApiError.validation("Invalid ScheduleExpressionTimezone: " + e.getMessage());
    }
    Instant start = body.hasNonNull("StartDate") ? epoch(body.get("StartDate")) : null;
    Instant end = body.hasNonNull("EndDate") ? epoch(body.get("EndDate")) : null;
    Matcher at = AT.matcher(expression);
    if (at.matches()) {
      try {
        return new Timing(LocalDateTime.parse(at.group(1)).atZone(zoneId).toInstant(), null, end);
      } catch (DateTimeParseException e) {
        throw ApiError.validation("Invalid date in " + expression);
      }
    }
    Recurrence recurrence = Recurrence.parse(expression, zoneId, start != null && start.isAfter(now) ? start : now);
    if (recurrence == null) {
      throw ApiError.validation("Invalid ScheduleExpression " + expression);
    }
    Instant from = start != null && start.isAfter(now) ? start.minusNanos(1) : now;
    return new Timing(recurrence.first(from), recurrence, end);
  }

  private static Instant epoch(JsonNode n) {
    double seconds = n.asDouble();
    return Instant.ofEpochMilli(Math.round(seconds * 1000));
  }

  /** When a schedule first fires, how it recurs (null: once), until when. */
  private record Timing(Instant first, Recurrence recurrence, Instant end) {}

  /**
   * A recurring expression: {@code rate(n minutes|hours|days)} from the start, or {@code cron(min
   * hour day-of-month month day-of-week year)} in the schedule's zone, read as EventBridge
   * Scheduler does (Quartz syntax with the seconds left out). Daylight saving time as Scheduler
   * documents it: a local time that does not exist (spring forward) is skipped, one that occurs
   * twice (fall back) fires once.
   */
  sealed interface Recurrence {
    Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    Pattern CRON = Pattern.compile("cron\\((.+)\\)");

    Instant first(Instant from);

    Instant next(Instant fired);

    static Recurrence parse(String expression, ZoneId zone, Instant start) throws ApiError {
      Matcher rate = RATE.matcher(expression);
      if (rate.matches()) {
        long n = Long.parseLong(rate.group(1));
        Duration unit = switch (rate.group(2)) {
          case "minute", "minutes" -> Duration.ofMinutes(1);
          case "hour", "hours" -> Duration.ofHours(1);
          default -> Duration.ofDays(1);
        };
        if (n < 1) throw ApiError.validation("Invalid rate in " + expression);
        return new Rate(unit.multipliedBy(n));
      }
      Matcher cron = CRON.matcher(expression);
      if (cron.matches()) {
        String[] fields = cron.group(1).trim().split("\\s+");
        if (fields.length != 6) throw ApiError.validation("A cron expression has 6 fields: " + expression);
        try {
          com.cronutils.model.Cron parsed = new CronParser(
              CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ))
              .parse("0 " + cron.group(1).trim());
          return new Cron(ExecutionTime.forCron(parsed), zone);
        } catch (IllegalArgumentException e) {
          throw ApiError.validation("Invalid cron expression " + expression + ": " + e.getMessage());
        }
      }
      return null;
    }
  }

  record Rate(Duration period) implements Recurrence {
    @Override
    public Instant first(Instant from) {
      return from;
    }

    @Override
    public Instant next(Instant fired) {
      return fired.plus(period);
    }
  }

  record Cron(ExecutionTime times, ZoneId zone) implements Recurrence {
    @Override
    public Instant first(Instant from) {
      return next(from);
    }

    @Override
    public Instant next(Instant after) {
      LocalDateTime local = after.atZone(zone).toLocalDateTime();
      for (int i = 0; i < 10_000; i++) {
        Optional<ZonedDateTime> n = times.nextExecution(local.atZone(ZoneOffset.UTC));
        if (n.isEmpty()) {
          return null;
        }
        local = n.get().toLocalDateTime();
        if (zone.getRules().getValidOffsets(local).isEmpty()) {
          continue; // in a spring-forward gap: Scheduler skips it
        }
        Instant at = local.atZone(zone).toInstant(); // the earlier offset in a fall-back overlap
        if (at.isAfter(after)) {
          return at;
        }
      }
      return null;
    }
  }

  private static double epochSeconds(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  // --- firing ---

  private void tickLoop() {
    while (running) {
      try {
        fireDue();
      } catch (RuntimeException e) {
        log.error("Scheduler tick failed", e);
      }
      LockSupport.parkNanos(TICK.toNanos());
    }
  }

  private void fireDue() {
    Instant now = now();
    long wall = System.nanoTime();
    List<Schedule> due = new ArrayList<>();
    synchronized (this) {
      for (Schedule s : schedules.values()) {
        if (s.completed || s.fireAt == null || s.firing || !s.state().equals("ENABLED") || s.fireAt.isAfter(now)) continue;
        if (s.retryAtNanos != 0 && wall - s.retryAtNanos < 0) continue;
        s.firing = true; // claimed: no second send while this one is in flight
        due.add(s);
      }
    }
    for (Schedule s : due) {
      ObjectNode definition;
      synchronized (this) {
        definition = s.definition;
      }
      boolean sent = send(s, definition);
      synchronized (this) {
        s.firing = false;
        if (schedules.get(key(s.group, s.name)) != s) continue; // deleted while in flight
        if (!sent) {
          s.retryAtNanos = System.nanoTime() + RETRY.toNanos();
        } else if (s.recurrence != null && definition == s.definition
            && (s.fireAt = s.recurrence.next(s.fireAt)) != null && (s.endDate == null || !s.fireAt.isAfter(s.endDate))) {
          s.retryAtNanos = 0; // recurring: the next time is set
        } else if (definition.path("ActionAfterCompletion").asText("NONE").equals("DELETE")) {
          schedules.remove(key(s.group, s.name));
        } else {
          s.completed = true;
        }
      }
    }
    if (!due.isEmpty()) {
      persist();
    }
  }

  // --- on disk ---

  /**
   * Moves the clock kept in a state file forward before a stack starts on it, so nothing the
   * started stack receives sees its clock jump (a jump would end visibility timeouts of messages
   * in flight and hand them out again).
   */
  public static void advanceStoredClock(Path stateFile, Duration by) {
    ObjectMapper mapper = new ObjectMapper();
    try {
      ObjectNode root = Files.exists(stateFile) ? (ObjectNode) mapper.readTree(stateFile.toFile()) : mapper.createObjectNode();
      root.put("clockOffsetMillis", root.path("clockOffsetMillis").asLong(0) + by.toMillis());
      if (!root.has("schedules")) root.putArray("schedules");
      Path dir = stateFile.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".scheduler", ".tmp");
      Files.write(tmp, mapper.writeValueAsBytes(root));
      Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("SchedulerStateNotStored: cannot write " + stateFile, e);
    }
  }

  /** Writes the schedules and the clock's offset to the state file (if any), atomically. */
  private synchronized void persist() {
    if (stateFile == null) {
      return;
    }
    ObjectNode root = json.createObjectNode();
    root.put("clockOffsetMillis", offset.toMillis());
    ArrayNode list = root.putArray("schedules");
    for (Schedule s : schedules.values()) {
      ObjectNode o = list.addObject();
      o.put("group", s.group);
      o.put("name", s.name);
      o.put("created", s.created.toEpochMilli());
      o.put("modified", s.modified.toEpochMilli());
      o.set("definition", s.definition);
      if (s.fireAt != null) o.put("fireAt", s.fireAt.toEpochMilli());
      o.put("completed", s.completed);
    }
    try {
      Path dir = stateFile.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".scheduler", ".tmp");
      Files.write(tmp, json.writeValueAsBytes(root));
      Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("SchedulerStateNotStored: cannot write " + stateFile, e);
    }
  }

  /** Takes up the schedules and the clock's offset an earlier start kept in the state file. */
  private void load() {
    if (!Files.exists(stateFile)) {
      return;
    }
    JsonNode root;
    try {
      root = json.readTree(stateFile.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("SchedulerStateUnreadable: cannot read " + stateFile, e);
    }
    offset = Duration.ofMillis(root.path("clockOffsetMillis").asLong(0));
    Instant now = now();
    for (JsonNode o : root.path("schedules")) {
      String group = o.get("group").asText();
      String name = o.get("name").asText();
      Schedule s = new Schedule(group, name, Instant.ofEpochMilli(o.get("created").asLong()));
      s.modified = Instant.ofEpochMilli(o.get("modified").asLong());
      s.definition = (ObjectNode) o.get("definition");
      s.fireAt = o.hasNonNull("fireAt") ? Instant.ofEpochMilli(o.get("fireAt").asLong()) : null;
      s.completed = o.path("completed").asBoolean(false);
      try {
        Timing timing = validate(name, group, s.definition, now); // how it recurs and ends: from its definition
        s.recurrence = timing.recurrence();
        s.endDate = timing.end();
      } catch (ApiError e) {
        log.error("stored schedule {}/{} is not valid, left out: {}", group, name, e.getMessage());
        continue;
      }
      schedules.put(key(group, name), s);
    }
    log.info("took up {} schedules (clock offset {}) from {}", schedules.size(), offset, stateFile);
  }

  private boolean send(Schedule s, ObjectNode definition) {
    JsonNode target = definition.path("Target");
    Matcher arn = SQS_ARN.matcher(target.path("Arn").asText());
    if (!arn.matches()) return false; // validated on write; cannot happen
    String queueName = arn.group(1);
    try {
      String url = queueUrls.computeIfAbsent(queueName, q -> sqs.getQueueUrl(b -> b.queueName(q)).queueUrl());
      String input = target.path("Input").asText("{}")
          .replace("<aws.scheduler.scheduled-time>", s.fireAt.truncatedTo(ChronoUnit.SECONDS).toString())
          .replace("<aws.scheduler.schedule-arn>", scheduleArn(s.group, s.name))
          .replace("<aws.scheduler.execution-id>", UUID.randomUUID().toString())
          .replace("<aws.scheduler.attempt-number>", "1");
      SendMessageRequest.Builder message = SendMessageRequest.builder().queueUrl(url).messageBody(input);
      String groupId = target.path("SqsParameters").path("MessageGroupId").asText(null);
      if (groupId != null) message.messageGroupId(groupId);
      sqs.sendMessage(message.build());
      fired.incrementAndGet();
      log.debug("schedule {}/{} fired into {}", s.group, s.name, queueName);
      return true;
    } catch (SdkException e) {
      queueUrls.remove(queueName);
      log.warn("schedule {}/{} could not send to {}; retrying in {}", s.group, s.name, queueName, RETRY, e);
      return false;
    }
  }

  /** Stops the HTTP server and the firing thread. Schedules are not kept. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(ticker);
    server.close();
    try {
      ticker.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
