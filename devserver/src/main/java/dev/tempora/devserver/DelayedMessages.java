package dev.tempora.devserver;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * SQS's per-message {@code DelaySeconds} on the stack's clock. ElasticMQ counts a message's delay
 * from the machine's clock when it is sent (its receives and visibility timeouts follow the clock
 * it is given, see {@link ElasticMqServer}), so a delayed message would not be due when the devserver
 * moves its clock past it. The stack's SQS clients ({@link #wrap}) therefore hand a delayed send
 * here: it is held until the stack's clock reaches its due time and then sent without a delay.
 * Everything else, and every send without a delay, goes to ElasticMQ unchanged.
 *
 * <p>Differences from SQS, deliberate: while held, the message is not in ElasticMQ (the devserver's
 * queue depths count it as delayed, see {@link #count}); its message id is the one ElasticMQ gives it
 * when released, not the one the send returned. Another process's client (the CLI) sends straight to
 * ElasticMQ, on the machine's clock.
 */
final class DelayedMessages implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DelayedMessages.class);
  /** The longest the sender sleeps: the clock may be moved while it does (the devserver then releases at once). */
  private static final Duration TICK = Duration.ofMillis(100);

  /** A held send; {@code order} keeps sends due at the same time in the order they were made. */
  private record Held(Instant due, long order, SendMessageRequest request) {}

  private final SqsClient sqs;
  private final PriorityQueue<Held> held = new PriorityQueue<>(
      (a, b) -> a.due.equals(b.due) ? Long.compare(a.order, b.order) : a.due.compareTo(b.due));
  private final AtomicLong order = new AtomicLong();
  /** One sender at a time (the ticker, or the devserver after moving its clock): each is sent once. */
  private final Object sending = new Object();
  private final Thread ticker;
  private volatile InstantSource clock = InstantSource.system();
  private volatile boolean running = true;

  /** {@code sqs}: the unwrapped client the held messages are finally sent with. */
  DelayedMessages(SqsClient sqs) {
    this.sqs = sqs;
    this.ticker = Thread.ofPlatform().daemon().name("sqs-delays").start(this::tick);
  }

  void useClock(InstantSource stackClock) {
    clock = stackClock;
  }

  /** A client that sends delayed messages through here and everything else to {@code real}. */
  SqsClient wrap(SqsClient real) {
    InvocationHandler handler = (proxy, method, args) -> {
      Object arg = args == null || args.length != 1 ? null : args[0];
      if (method.getName().equals("sendMessage") && arg != null) {
        SendMessageRequest r = sendRequest(arg);
        if (delayOf(r.delaySeconds()) > 0) {
          return hold(r);
        }
        return real.sendMessage(r);
      }
      if (method.getName().equals("sendMessageBatch") && arg != null) {
        return sendBatch(real, batchRequest(arg));
      }
      try {
        return method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (SqsClient) Proxy.newProxyInstance(SqsClient.class.getClassLoader(), new Class<?>[] {SqsClient.class},
        handler);
  }

  @SuppressWarnings("unchecked")
  private static SendMessageRequest sendRequest(Object arg) {
    if (arg instanceof SendMessageRequest r) {
      return r;
    }
    SendMessageRequest.Builder b = SendMessageRequest.builder();
    ((Consumer<SendMessageRequest.Builder>) arg).accept(b);
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static SendMessageBatchRequest batchRequest(Object arg) {
    if (arg instanceof SendMessageBatchRequest r) {
      return r;
    }
    SendMessageBatchRequest.Builder b = SendMessageBatchRequest.builder();
    ((Consumer<SendMessageBatchRequest.Builder>) arg).accept(b);
    return b.build();
  }

  private static int delayOf(Integer delaySeconds) {
    return delaySeconds == null ? 0 : delaySeconds;
  }

  private SendMessageResponse hold(SendMessageRequest r) {
    Instant due = clock.instant().plusSeconds(delayOf(r.delaySeconds()));
    synchronized (held) {
      held.add(new Held(due, order.getAndIncrement(), r.toBuilder().delaySeconds(0).build()));
    }
    LockSupport.unpark(ticker); // it may be sleeping towards a later message
    return SendMessageResponse.builder().messageId(UUID.randomUUID().toString()).build();
  }

  private SendMessageBatchResponse sendBatch(SqsClient real, SendMessageBatchRequest r) {
    List<SendMessageBatchRequestEntry> now = new ArrayList<>();
    List<SendMessageBatchResultEntry> heldResults = new ArrayList<>();
    for (SendMessageBatchRequestEntry e : r.entries()) {
      if (delayOf(e.delaySeconds()) == 0) {
        now.add(e);
        continue;
      }
      SendMessageResponse sent = hold(SendMessageRequest.builder().queueUrl(r.queueUrl()).messageBody(e.messageBody())
          .delaySeconds(e.delaySeconds()).messageAttributes(e.messageAttributes())
          .messageSystemAttributesWithStrings(e.messageSystemAttributesAsStrings()).build());
      heldResults.add(SendMessageBatchResultEntry.builder().id(e.id()).messageId(sent.messageId()).build());
    }
    if (now.isEmpty()) {
      return SendMessageBatchResponse.builder().successful(heldResults).failed(List.of()).build();
    }
    SendMessageBatchResponse sent = real.sendMessageBatch(r.toBuilder().entries(now).build());
    List<SendMessageBatchResultEntry> all = new ArrayList<>(sent.successful());
    all.addAll(heldResults);
    return sent.toBuilder().successful(all).build();
  }

  /** Held messages for the queue at {@code queueUrl}: how many are due (being sent) and how many wait. */
  Map.Entry<Integer, Integer> count(String queueUrl) {
    Instant now = clock.instant();
    int due = 0;
    int waiting = 0;
    synchronized (held) {
      for (Held h : held) {
        if (h.request.queueUrl().equals(queueUrl)) {
          if (h.due.isAfter(now)) {
            waiting++;
          } else {
            due++;
          }
        }
      }
    }
    return Map.entry(due, waiting);
  }

  /** When the next held message is due, if it is later than now. */
  Optional<Instant> nextDue() {
    Instant now = clock.instant();
    synchronized (held) {
      return held.stream().map(Held::due).filter(t -> t.isAfter(now)).min(Instant::compareTo);
    }
  }

  /** Sends every held message that is due; the devserver calls it right after moving its clock. */
  void releaseDue() {
    synchronized (sending) {
      releaseDueLocked();
    }
  }

  private void releaseDueLocked() {
    while (true) {
      Held next;
      synchronized (held) {
        Held head = held.peek();
        if (head == null || head.due.isAfter(clock.instant())) {
          return;
        }
        next = head;
      }
      try {
        sqs.sendMessage(next.request);
      } catch (RuntimeException e) {
        // Kept and tried again at the next tick: the message is not lost to a failed send.
        log.warn("could not send a delayed message to {}: {}", next.request.queueUrl(), e.toString());
        return;
      }
      synchronized (held) {
        held.remove(next);
      }
    }
  }

  private void tick() {
    while (running) {
      try {
        releaseDue();
        long wait = TICK.toMillis();
        synchronized (held) {
          if (!held.isEmpty()) {
            wait = Math.clamp(Duration.between(clock.instant(), held.peek().due).toMillis(), 1, wait);
          }
        }
        LockSupport.parkNanos(Duration.ofMillis(wait).toNanos());
        if (Thread.interrupted()) {
          return;
        }
      } catch (RuntimeException e) {
        log.error("delayed messages", e);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    ticker.interrupt();
  }
}
