package dev.tempora.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

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
 *
 * <p>With a directory, a held send is written there (one file, renamed into place) before the send
 * is acknowledged, and its file is deleted once ElasticMQ has it; a start sends the stored ones
 * when due, as SQS never loses an acknowledged send. A crash between ElasticMQ's acknowledgement
 * and the delete sends that message twice, which SQS (at least once) allows.
 */
final class DelayedMessages implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DelayedMessages.class);
  /** The longest the sender sleeps: the clock may be moved while it does (the devserver then releases at once). */
  private static final Duration TICK = Duration.ofMillis(100);

  /**
   * A held send; {@code order} keeps sends due at the same time in the order they were made;
   * {@code file} is where it is stored (null in memory).
   */
  private record Held(Instant due, long order, SendMessageRequest request, Path file) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SqsClient sqs;
  private final PriorityQueue<Held> held = new PriorityQueue<>(
      (a, b) -> a.due.equals(b.due) ? Long.compare(a.order, b.order) : a.due.compareTo(b.due));
  private final AtomicLong order = new AtomicLong();
  /** One sender at a time (the ticker, or the devserver after moving its clock): each is sent once. */
  private final Object sending = new Object();
  private final Thread ticker;
  private volatile InstantSource clock = InstantSource.system();
  private volatile boolean running = true;

  private final Path dir;

  /** {@code sqs}: the unwrapped client the held messages are finally sent with. */
  DelayedMessages(SqsClient sqs) {
    this(sqs, null);
  }

  /** As above, storing held sends in {@code dir} (null: in memory) and taking up those stored there. */
  DelayedMessages(SqsClient sqs, Path dir) {
    this.sqs = sqs;
    this.dir = dir;
    if (dir != null) {
      load();
    }
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
    long n = order.getAndIncrement();
    SendMessageRequest request = r.toBuilder().delaySeconds(0).build();
    Path file = dir == null ? null : store(due, n, request); // before the send is acknowledged
    synchronized (held) {
      held.add(new Held(due, n, request, file));
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
      if (next.file != null) {
        try {
          Files.deleteIfExists(next.file);
        } catch (IOException e) {
          log.warn("could not delete the sent delayed message {}: {}", next.file, e.toString());
        }
      }
    }
  }

  // --- on disk: one JSON file per held send, named by due time and order ---

  private Path store(Instant due, long n, SendMessageRequest r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("due", due.toEpochMilli());
    o.put("order", n);
    o.put("queue", queueName(r.queueUrl()));
    o.put("body", r.messageBody());
    if (r.messageGroupId() != null) o.put("messageGroupId", r.messageGroupId());
    if (r.messageDeduplicationId() != null) o.put("messageDeduplicationId", r.messageDeduplicationId());
    ObjectNode attributes = o.putObject("attributes");
    r.messageAttributes().forEach((k, v) -> attributes.set(k, attribute(v.dataType(), v.stringValue(),
        v.binaryValue() == null ? null : v.binaryValue().asByteArray())));
    ObjectNode system = o.putObject("systemAttributes");
    r.messageSystemAttributesAsStrings().forEach((k, v) -> system.set(k, attribute(v.dataType(), v.stringValue(),
        v.binaryValue() == null ? null : v.binaryValue().asByteArray())));
    Path file = dir.resolve(String.format("%016d-%016d.json", due.toEpochMilli(), n));
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".held", ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(o));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      // The send is refused rather than acknowledged and lost.
      throw SqsException.builder().message("DelayedSendNotStored: could not store a delayed message in " + dir + ": " + e)
          .statusCode(500).build();
    }
  }

  private static ObjectNode attribute(String dataType, String stringValue, byte[] binary) {
    ObjectNode a = JSON.createObjectNode().put("dataType", dataType);
    if (stringValue != null) a.put("stringValue", stringValue);
    if (binary != null) a.put("binaryValue", Base64.getEncoder().encodeToString(binary));
    return a;
  }

  private static MessageAttributeValue messageAttribute(JsonNode a) {
    MessageAttributeValue.Builder b = MessageAttributeValue.builder().dataType(a.path("dataType").asText());
    if (a.has("stringValue")) b.stringValue(a.get("stringValue").asText());
    if (a.has("binaryValue")) b.binaryValue(SdkBytes.fromByteArray(Base64.getDecoder().decode(a.get("binaryValue").asText())));
    return b.build();
  }

  private static MessageSystemAttributeValue systemAttribute(JsonNode a) {
    MessageSystemAttributeValue.Builder b = MessageSystemAttributeValue.builder().dataType(a.path("dataType").asText());
    if (a.has("stringValue")) b.stringValue(a.get("stringValue").asText());
    if (a.has("binaryValue")) b.binaryValue(SdkBytes.fromByteArray(Base64.getDecoder().decode(a.get("binaryValue").asText())));
    return b.build();
  }

  private static String queueName(String queueUrl) {
    return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
  }

  /** Takes up the sends stored by an earlier start; their queues' URLs are this start's. */
  private void load() {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the delayed messages in " + dir, e);
    }
    Map<String, String> urls = new HashMap<>();
    long maxOrder = -1;
    for (Path f : files) {
      try {
        JsonNode o = JSON.readTree(f.toFile());
        String queue = o.get("queue").asText();
        String url = urls.computeIfAbsent(queue, q -> sqs.getQueueUrl(b -> b.queueName(q)).queueUrl());
        SendMessageRequest.Builder b = SendMessageRequest.builder().queueUrl(url).messageBody(o.get("body").asText());
        if (o.has("messageGroupId")) b.messageGroupId(o.get("messageGroupId").asText());
        if (o.has("messageDeduplicationId")) b.messageDeduplicationId(o.get("messageDeduplicationId").asText());
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        o.path("attributes").properties().forEach(e -> attributes.put(e.getKey(), messageAttribute(e.getValue())));
        Map<String, MessageSystemAttributeValue> system = new HashMap<>();
        o.path("systemAttributes").properties().forEach(e -> system.put(e.getKey(), systemAttribute(e.getValue())));
        b.messageAttributes(attributes).messageSystemAttributesWithStrings(system);
        long n = o.get("order").asLong();
        maxOrder = Math.max(maxOrder, n);
        held.add(new Held(Instant.ofEpochMilli(o.get("due").asLong()), n, b.build(), f));
      } catch (IOException | RuntimeException e) {
        log.error("could not take up the stored delayed message {} (kept): {}", f, e.toString());
      }
    }
    order.set(maxOrder + 1);
    if (!held.isEmpty()) {
      log.info("took up {} delayed messages stored in {}", held.size(), dir);
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
