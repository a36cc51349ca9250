package dev.tempora.internal.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.coordinator.ConcurrentUpdateException;
import dev.tempora.internal.schedules.CompiledSpec;
import dev.tempora.internal.schedules.ScheduleEngine;
import dev.tempora.internal.schedules.ScheduleItem;
import dev.tempora.internal.schedules.ScheduleService;
import dev.tempora.internal.schedules.ScheduleStore;
import dev.tempora.internal.schedules.ScheduleTicker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The schedules queue's consumer (ADR 14). A <em>tick</em> (sent by the Scheduler schedule)
 * computes the spec's fire times it covers from the item, puts each on the schedules queue as a
 * <em>firing</em> with an SQS delay to its second (plus jitter), and advances the item's {@code
 * coveredUntil}; a firing is handed to the {@link ScheduleEngine}. Minutes come from Scheduler,
 * seconds from SQS. A tick for a schedule that no longer exists deletes its Scheduler schedule;
 * one whose item is unsynced (a crash between the item and Scheduler writes) repairs it.
 */
public final class ScheduleMessages {
  private static final Logger log = LoggerFactory.getLogger(ScheduleMessages.class);
  /** How far ahead a rate tick puts firings on the queue: past the next tick, with Scheduler's minute of slack. */
  static final Duration RATE_LOOKAHEAD = Duration.ofMinutes(AwsScheduleTicker.RATE_MINUTES + 2);
  /** The most firings one tick sends (a long outage's backlog is taken over several ticks). */
  static final int MAX_FIRINGS_PER_TICK = 500;

  private final String namespace;
  private final ScheduleStore store;
  private final ScheduleTicker ticker;
  private final ScheduleEngine engine;
  private final ScheduleService service;
  private final SqsClient sqs;
  private final Supplier<String> queueUrl;
  private final InstantSource clock;

  public ScheduleMessages(String namespace, ScheduleStore store, ScheduleTicker ticker, ScheduleEngine engine,
      ScheduleService service, SqsClient sqs, Supplier<String> queueUrl, InstantSource clock) {
    this.namespace = namespace;
    this.store = store;
    this.ticker = ticker;
    this.engine = engine;
    this.service = service;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.clock = clock;
  }

  /** Thrown for a body that is no schedule message (it never will be): the DLQ's business. */
  public static final class UndecodableScheduleMessageException extends IllegalArgumentException {
    UndecodableScheduleMessageException(String message) {
      super(message);
    }
  }

  /** Handles one message body; throws (so it is redelivered) if the work fails. */
  public void handle(String body) {
    JsonNode o;
    try {
      o = DataConverter.get().mapper().readTree(body);
    } catch (Exception e) {
      throw new UndecodableScheduleMessageException("not JSON: " + e.getMessage());
    }
    try {
      if (o.has("scheduleTick")) {
        JsonNode t = o.get("scheduleTick");
        tick(t.get("scheduleId").asText(), t.get("generation").asLong(), Instant.parse(o.get("scheduledTime").asText()));
      } else if (o.has("scheduleFire")) {
        JsonNode f = o.get("scheduleFire");
        if (f.hasNonNull("notBefore")) {
          Duration early = Duration.between(clock.instant(), Instant.parse(f.get("notBefore").asText()));
          if (early.compareTo(SqsDelayedDelivery.EARLY_TOLERANCE) > 0) {
            // A jitter beyond SQS's 15-minute delay: wait out the rest on the queue.
            sqs.sendMessage(b -> b.queueUrl(queueUrl.get()).messageBody(body).delaySeconds(SqsLimits.delaySeconds(early)));
            return;
          }
        }
        engine.fire(f.get("scheduleId").asText(), Instant.parse(f.get("scheduledTime").asText()), f.get("generation").asLong());
      } else {
        throw new UndecodableScheduleMessageException("neither a scheduleTick nor a scheduleFire");
      }
    } catch (NullPointerException | DateTimeParseException e) {
      throw new UndecodableScheduleMessageException("malformed schedule message: " + e);
    }
  }

  static String fireBody(String namespace, String scheduleId, long generation, Instant scheduledTime, Instant notBefore) {
    ObjectNode o = DataConverter.get().mapper().createObjectNode();
    o.putObject("scheduleFire").put("namespace", namespace).put("scheduleId", scheduleId).put("generation", generation)
        .put("scheduledTime", scheduledTime.toString()).put("notBefore", notBefore.toString());
    return o.toString();
  }

  void tick(String scheduleId, long generation, Instant tickTime) {
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<ScheduleItem> found = store.get(namespace, scheduleId);
      if (found.isEmpty()) {
        ticker.remove(namespace, scheduleId); // an orphan Scheduler schedule: nothing may tick again
        return;
      }
      ScheduleItem item = found.get();
      if (item.deleted() || item.syncedGeneration() < item.generation()) {
        service.repairAll();
        found = store.get(namespace, scheduleId);
        if (found.isEmpty() || found.get().deleted()) {
          return;
        }
        item = found.get();
      }
      if (generation != item.generation()) {
        return; // a tick of an older definition still in flight; the current one ticks too
      }
      CompiledSpec spec = CompiledSpec.compile(item.schedule().getSpec());
      Instant now = clock.instant();
      Instant horizon = AwsScheduleTicker.isCron(AwsScheduleTicker.expression(spec))
          ? later(tickTime.plusSeconds(59), now) : now.plus(RATE_LOOKAHEAD);
      Instant from = item.coveredUntil() == null ? item.createdAt() : item.coveredUntil();
      if (!horizon.isAfter(from)) {
        return;
      }
      List<Instant> times = spec.between(from, horizon, MAX_FIRINGS_PER_TICK);
      Instant covered = times.size() == MAX_FIRINGS_PER_TICK ? times.getLast() : horizon;
      for (Instant t : times) {
        Instant due = t.plus(spec.jitterFor(scheduleId, t));
        Duration delay = Duration.between(now, due);
        long gen = item.generation();
        sqs.sendMessage(b -> b.queueUrl(queueUrl.get()).messageBody(fireBody(namespace, scheduleId, gen, t, due))
            .delaySeconds(SqsLimits.delaySeconds(delay.isNegative() ? Duration.ZERO : delay)));
      }
      ScheduleItem.Edit e = item.edit();
      e.coveredUntil = covered;
      try {
        store.update(e.build());
        log.debug("schedule {}: tick {} sent {} firing(s) up to {}", scheduleId, tickTime, times.size(), covered);
        return;
      } catch (ConcurrentUpdateException raced) {
        // re-read; a firing sent twice is dropped by the engine (lastFired)
      }
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
