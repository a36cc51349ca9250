package dev.tempora.internal.client;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.history.Payload;
import dev.tempora.internal.client.RequestValidatorTest.CounterImpl;
import dev.tempora.internal.coordinator.WorkflowRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The validator of a process without the workflow code, against the catalog a coordinator
 * published: what its registry would refuse by name is refused by the same name, and an unknown
 * name reads the catalog again once before the refusal.
 */
class CatalogValidationTest {

  /** The catalog in the table ({@code current}), kept after the first read as the client keeps it; logs reads. */
  static final class Published implements WorkflowCatalog.Source {
    WorkflowCatalog current;
    private Optional<WorkflowCatalog> kept;
    final List<Boolean> reads = new ArrayList<>();

    @Override
    public Optional<WorkflowCatalog> get(boolean refresh) {
      reads.add(refresh);
      if (kept == null || refresh) kept = Optional.ofNullable(current);
      return kept;
    }
  }

  static WorkflowCatalog catalogOf(Set<String> taskQueues, Class<?>... implementations) {
    WorkflowRegistry engine = new WorkflowRegistry();
    engine.register(implementations);
    // As stored: through its JSON.
    return WorkflowCatalog.fromJson(WorkflowCatalog.of(engine, taskQueues).toJson());
  }

  private static String refusal(Executable call) {
    return assertThrows(InvalidRequestException.class, call).getError();
  }

  @Test
  void checksTypesNamesAndArgumentCountsFromTheCatalog() {
    Published published = new Published();
    published.current = catalogOf(Set.of("default", "gpu"), CounterImpl.class);
    assertEquals(List.of("int", "java.lang.String"), published.current.types().get("Counter").workflowMethod());
    RequestValidator v = new RequestValidator(new WorkflowRegistry(), Set.of()).withCatalog(published);

    v.start("c-1", "Counter", "default", new Payload("[3,\"x\"]"));
    assertEquals("InvalidArguments", refusal(() -> v.start("c-1", "Counter", "default", new Payload("[3]"))));
    assertEquals("UnknownTaskQueue", refusal(() -> v.start("c-1", "Counter", "cpu", new Payload("[3,\"x\"]"))));
    assertEquals("UnknownWorkflowType", refusal(() -> v.start("c-1", "Nope", "default", new Payload("[]"))));
    v.signalWithStart("c-1", "Counter", "gpu", new Payload("[3,\"x\"]"), "add", new Payload("[1]"), null);
    assertEquals("UnknownSignal", refusal(() -> v.signalWithStart("c-1", "Counter", "default",
        new Payload("[3,\"x\"]"), "ad", new Payload("[1]"), null)));
    assertEquals("InvalidArguments", refusal(() -> v.signalWithStart("c-1", "Counter", "default",
        new Payload("[3,\"x\"]"), "add", new Payload("[1,2]"), null)));
  }

  @Test
  void anUnknownNameReadsTheCatalogAgainOnceBeforeTheRefusal() {
    Published published = new Published();
    RequestValidator v = new RequestValidator(new WorkflowRegistry(), Set.of()).withCatalog(published);
    InvalidRequestException none = assertThrows(InvalidRequestException.class,
        () -> v.start("c-1", "Counter", "default", new Payload("[3,\"x\"]")));
    assertTrue(none.getMessage().contains("no workflow catalog"), none.getMessage());

    published.reads.clear();
    published.current = catalogOf(Set.of(), CounterImpl.class); // a deployment after the first read
    v.start("c-1", "Counter", "default", new Payload("[3,\"x\"]"));
    assertTrue(published.reads.contains(true), "read again: " + published.reads);

    published.reads.clear();
    assertEquals("UnknownWorkflowType", refusal(() -> v.start("c-1", "Nope", "default", new Payload("[]"))));
    assertEquals(1, published.reads.stream().filter(r -> r).count(), "one refresh per unknown name: " + published.reads);
  }

  @Test
  void theCodeWinsOverTheCatalog() {
    WorkflowRegistry local = new WorkflowRegistry();
    local.register(CounterImpl.class);
    Published published = new Published();
    RequestValidator v = new RequestValidator(local, Set.of()).withCatalog(published);
    // With the code, argument types are checked too (the catalog has none of this).
    assertEquals("InvalidArguments", refusal(() -> v.start("c-1", "Counter", "default", new Payload("[\"x\",\"y\"]"))));
    v.start("c-1", "Counter", "default", new Payload("[3,\"x\"]"));
    assertFalse(published.reads.contains(true), "no refresh for a type this process has code of: " + published.reads);
  }
}
