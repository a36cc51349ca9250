package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.converter.AesGcmPayloadCodec;
import dev.tempora.converter.CodecDataConverter;
import dev.tempora.converter.DataConverter;
import dev.tempora.converter.DefaultDataConverter;
import dev.tempora.converter.LocalKeyProvider;
import dev.tempora.converter.PayloadCodec;
import dev.tempora.converter.PayloadConverter;
import dev.tempora.converter.ZlibPayloadCodec;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.history.Payload;
import dev.tempora.internal.converter.HistoryJson;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.testing.WorkflowExecutionHistory;
import dev.tempora.testing.WorkflowReplayer;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Data converters and payload codecs on both stacks (issue 13): a history written without a codec
 * goes on encrypted once AES-GCM is turned on, and after a key rotation, with warm runners dropped
 * so every step replays the earlier payloads; in DynamoDB Local the encrypted payloads are not in
 * the raw items, and the history does not replay without the old key. A per-type payload converter
 * carries its type through workflow, activity and result; compression shrinks stored payloads.
 */
class DataConverterOnBothStacksTest {
  static final ActivityOptions OPTIONS = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build();

  @WorkflowInterface
  public interface Vault {
    @WorkflowMethod
    String keep(String owner);

    @SignalMethod
    void deposit(String secret);

    @SignalMethod
    void close();

    @QueryMethod
    List<String> sealed();
  }

  @ActivityInterface
  public interface Sealer {
    String seal(String secret);
  }

  public static class SealerImpl implements Sealer {
    @Override
    public String seal(String secret) {
      return "sealed(" + secret + ")";
    }
  }

  public static class VaultImpl implements Vault {
    private final Sealer sealer = Workflow.newActivityStub(Sealer.class, OPTIONS);
    private final List<String> pending = new ArrayList<>();
    private final List<String> sealed = new ArrayList<>();
    private boolean closed;

    @Override
    public String keep(String owner) {
      sealed.add(sealer.seal(owner));
      while (true) {
        Workflow.await(() -> !pending.isEmpty() || closed);
        if (!pending.isEmpty()) {
          sealed.add(sealer.seal(pending.remove(0)));
        } else {
          return String.join("|", sealed);
        }
      }
    }

    @Override
    public void deposit(String secret) {
      pending.add(secret);
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public List<String> sealed() {
      return sealed;
    }
  }

  /** A value type with its own payload converter ("EUR 12.50" as text), not Jackson's JSON. */
  public record Money(String currency, BigDecimal amount) {}

  public static final class MoneyConverter implements PayloadConverter {
    @Override
    public String getEncodingType() {
      return "text/money";
    }

    @Override
    public Optional<Payload> toData(Object value) {
      return value instanceof Money m ? Optional.of(Payload.ofBytes((m.currency() + " " + m.amount().toPlainString())
          .getBytes(StandardCharsets.UTF_8), Map.of(Payload.ENCODING, getEncodingType()))) : Optional.empty();
    }

    @Override
    public <T> T fromData(Payload content, Class<T> valueType, Type valueGenericType) {
      String[] parts = new String(content.bytes(), StandardCharsets.UTF_8).split(" ");
      return valueType.cast(new Money(parts[0], new BigDecimal(parts[1])));
    }
  }

  @WorkflowInterface
  public interface Till {
    @WorkflowMethod
    Money total(Money a, Money b, String note);
  }

  @ActivityInterface
  public interface Adder {
    Money add(Money a, Money b);
  }

  public static class AdderImpl implements Adder {
    @Override
    public Money add(Money a, Money b) {
      return new Money(a.currency(), a.amount().add(b.amount()));
    }
  }

  public static class TillImpl implements Till {
    private final Adder adder = Workflow.newActivityStub(Adder.class, OPTIONS);

    @Override
    public Money total(Money a, Money b, String note) {
      return adder.add(a, b);
    }
  }

  @WorkflowInterface
  public interface Report {
    @WorkflowMethod
    String render(String rows);
  }

  @ActivityInterface
  public interface Renderer {
    String render(String rows);
  }

  public static class RendererImpl implements Renderer {
    @Override
    public String render(String rows) {
      return "<table>" + rows + "</table>";
    }
  }

  public static class ReportImpl implements Report {
    private final Renderer renderer = Workflow.newActivityStub(Renderer.class, OPTIONS);

    @Override
    public String render(String rows) {
      return renderer.render(rows);
    }
  }

  public static class Setup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(VaultImpl.class, TillImpl.class, ReportImpl.class);
      worker.registerActivitiesImplementations(new SealerImpl(), new AdderImpl(), new RendererImpl());
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(new Setup());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack, DataConverter converter) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    env.registerWorkflowImplementationTypes(VaultImpl.class, TillImpl.class, ReportImpl.class);
    env.registerActivitiesImplementations(new SealerImpl(), new AdderImpl(), new RendererImpl());
    env.setDataConverter(converter);
    return env;
  }

  static DataConverter withCodecs(PayloadCodec... codecs) {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codecs));
  }

  static String keyIdOf(Payload p) {
    return p.metadata() == null ? null : p.metadata().get(AesGcmPayloadCodec.METADATA_KEY_ID);
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aHistoryWrittenWithoutACodecGoesOnEncryptedAndAfterAKeyRotation(String stack) {
    String id = "vault-" + stack;
    String plain = "owner-plain-" + stack;
    String underK1 = "SECRET-K1-" + stack;
    String underK2 = "SECRET-K2-" + stack;
    LocalKeyProvider k1 = LocalKeyProvider.of("k1", LocalKeyProvider.newKey());
    LocalKeyProvider rotated = k1.withCurrentKey("k2", LocalKeyProvider.newKey());
    try (TestWorkflowEnvironment env = environment(stack, DefaultDataConverter.newDefaultInstance())) {
      Vault vault = env.getWorkflowClient().newWorkflowStub(Vault.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("default").build());
      WorkflowClient.start(vault::keep, plain);
      assertEquals(List.of("sealed(" + plain + ")"), awaitSealed(env, id, 1));

      // Encryption turned on: the run goes on, its first payloads (plain) still read.
      env.setDataConverter(withCodecs(new AesGcmPayloadCodec(k1)));
      env.getWorkflowClient().newWorkflowStub(Vault.class, id).deposit(underK1);
      assertEquals(2, awaitSealed(env, id, 2).size());

      // The key rotated: new payloads under k2, the k1 ones still decrypt.
      env.setDataConverter(withCodecs(new AesGcmPayloadCodec(rotated)));
      env.evictRunners();
      Vault again = env.getWorkflowClient().newWorkflowStub(Vault.class, id);
      again.deposit(underK2);
      again.close();
      assertEquals("sealed(" + plain + ")|sealed(" + underK1 + ")|sealed(" + underK2 + ")",
          env.getWorkflowClient().newUntypedWorkflowStub(id).getResult(Duration.ofSeconds(30), String.class));

      List<HistoryEvent> history = env.getWorkflowClient().fetchHistory(id);
      List<Event> events = history.stream().map(HistoryEvent::event).toList();
      Event.WorkflowExecutionStarted started = (Event.WorkflowExecutionStarted) events.getFirst();
      assertNull(started.input().metadata(), "written before the codec: plain JSON as always");
      List<String> signalKeys = events.stream().filter(e -> e instanceof Event.WorkflowSignaled)
          .map(e -> keyIdOf(((Event.WorkflowSignaled) e).input())).toList();
      assertEquals(List.of("k1", "k2", "k2"), signalKeys);
      List<String> activityResultKeys = events.stream().filter(e -> e instanceof Event.ActivityTaskCompleted)
          .map(e -> keyIdOf(((Event.ActivityTaskCompleted) e).result())).toList();
      assertEquals(Arrays.asList(null, "k1", "k2"), activityResultKeys, "the activity results: plain, k1, k2");
      Event.WorkflowExecutionCompleted done = (Event.WorkflowExecutionCompleted) events.getLast();
      assertEquals("k2", keyIdOf(done.result()));

      String stored = stack.equals("embedded-aws") ? rawTable() : HistoryJson.write(history);
      assertTrue(stored.contains(plain), "the control: what was written before encryption is readable");
      assertFalse(stored.contains(underK1), "a k1 payload is not in the stored history");
      assertFalse(stored.contains(underK2), "a k2 payload is not in the stored history");

      WorkflowExecutionHistory h = new WorkflowExecutionHistory(id, history);
      WorkflowReplayer.replayWorkflowExecution(h, withCodecs(new AesGcmPayloadCodec(rotated)), VaultImpl.class);
      LocalKeyProvider onlyK2 = LocalKeyProvider.of("k2", LocalKeyProvider.newKey());
      Throwable withoutK1 = assertThrows(Throwable.class,
          () -> WorkflowReplayer.replayWorkflowExecution(h, withCodecs(new AesGcmPayloadCodec(onlyK2)), VaultImpl.class));
      assertTrue(causes(withoutK1).contains("EncryptionKeyNotFound"), () -> causes(withoutK1));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aDeployWithoutTheOldKeyParksTheRunByNameUntilTheKeyIsBack(String stack) {
    String id = "vault-lost-key-" + stack;
    LocalKeyProvider k1 = LocalKeyProvider.of("k1", LocalKeyProvider.newKey());
    byte[] k2 = LocalKeyProvider.newKey();
    try (TestWorkflowEnvironment env = environment(stack, withCodecs(new AesGcmPayloadCodec(k1)))) {
      Vault vault = env.getWorkflowClient().newWorkflowStub(Vault.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("default").build());
      WorkflowClient.start(vault::keep, "owner");
      awaitSealed(env, id, 1);

      // A deploy that forgot k1: the run's next task cannot read its history and fails, by name.
      env.setDataConverter(withCodecs(new AesGcmPayloadCodec(LocalKeyProvider.of("k2", k2))));
      env.getWorkflowClient().newWorkflowStub(Vault.class, id).deposit("after-the-bad-deploy");
      String failure = env.getWorkflowClient().describe(id).taskFailure();
      assertNotNull(failure, "the task failed and the run parked");
      assertTrue(failure.contains("EncryptionKeyNotFound"), failure);

      // The key back (rotated to k2, k1 kept): the run goes on with the signal it was sent.
      env.setDataConverter(withCodecs(new AesGcmPayloadCodec(k1.withCurrentKey("k2", k2))));
      env.getWorkflowClient().newWorkflowStub(Vault.class, id).close();
      assertEquals("sealed(owner)|sealed(after-the-bad-deploy)",
          env.getWorkflowClient().newUntypedWorkflowStub(id).getResult(Duration.ofSeconds(30), String.class));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void aPerTypeConverterCarriesItsTypeThroughWorkflowActivityAndResult(String stack) {
    DataConverter converter = DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(new MoneyConverter());
    try (TestWorkflowEnvironment env = environment(stack, converter)) {
      String id = "till-" + stack;
      Till till = env.getWorkflowClient().newWorkflowStub(Till.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("default").build());
      Money total = till.total(new Money("EUR", new BigDecimal("12.50")), new Money("EUR", new BigDecimal("0.75")), "n");
      assertEquals(new Money("EUR", new BigDecimal("13.25")), total);

      List<Event> events = env.getWorkflowClient().fetchHistory(id).stream().map(HistoryEvent::event).toList();
      Payload input = ((Event.WorkflowExecutionStarted) events.getFirst()).input();
      assertEquals("text/money,text/money,json/plain", input.metadata().get(DefaultDataConverter.ARGUMENT_ENCODINGS));
      Payload result = events.stream().filter(e -> e instanceof Event.ActivityTaskCompleted)
          .map(e -> ((Event.ActivityTaskCompleted) e).result()).findFirst().orElseThrow();
      assertEquals("text/money", result.encoding());
      assertEquals("EUR 13.25", new String(result.bytes(), StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void compressionShrinksTheStoredPayloads(String stack) {
    String rows = "<tr><td>row</td><td>42</td></tr>".repeat(10_000); // 330 KB of JSON text
    try (TestWorkflowEnvironment env = environment(stack, withCodecs(new ZlibPayloadCodec()))) {
      String id = "report-" + stack;
      Report report = env.getWorkflowClient().newWorkflowStub(Report.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("default").build());
      assertEquals("<table>" + rows + "</table>", report.render(rows));
      List<HistoryEvent> history = env.getWorkflowClient().fetchHistory(id);
      long payloadChars = history.stream().map(HistoryEvent::event).mapToLong(DataConverterOnBothStacksTest::payloadChars).sum();
      // Five payloads of ~330 KB each (start, activity input and result, completion): compressed to a few KB.
      assertTrue(payloadChars < rows.length() / 20, () -> "stored payload characters: " + payloadChars);
    }
  }

  static long payloadChars(Event e) {
    return switch (e) {
      case Event.WorkflowExecutionStarted s -> s.input().sizeBytes();
      case Event.ActivityTaskScheduled s -> s.input().sizeBytes();
      case Event.ActivityTaskCompleted c -> c.result().sizeBytes();
      case Event.WorkflowExecutionCompleted c -> c.result().sizeBytes();
      default -> 0;
    };
  }

  /** Every item of the stack's table as text, gzipped bodies unzipped (what someone with table access reads). */
  static String rawTable() {
    StringBuilder out = new StringBuilder();
    server.aws().dynamo().scanPaginator(b -> b.tableName(server.config().tableName())).items().forEach(item -> {
      for (AttributeValue v : item.values()) {
        if (v.s() != null) {
          out.append(v.s()).append('\n');
        } else if (v.b() != null) {
          out.append(gunzipOrRaw(v.b().asByteArray())).append('\n');
        }
      }
    });
    return out.toString();
  }

  static String gunzipOrRaw(byte[] b) {
    if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  static List<String> awaitSealed(TestWorkflowEnvironment env, String id, int count) {
    Vault v = env.getWorkflowClient().newWorkflowStub(Vault.class, id);
    for (int i = 0; i < 200; i++) {
      List<String> s = v.sealed();
      if (s.size() >= count) {
        return s;
      }
      env.awaitIdle();
    }
    fail("the vault did not seal " + count + " items");
    return null;
  }

  static String causes(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      s.append(c.getMessage()).append(" / ");
      for (Throwable x : c.getSuppressed()) {
        s.append(causes(x));
      }
    }
    return s.toString();
  }
}
