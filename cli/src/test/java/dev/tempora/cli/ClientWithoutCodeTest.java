package dev.tempora.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.client.InvalidRequestException;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowClientOptions;
import dev.tempora.client.WorkflowNotFoundException;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.client.aws.AwsServiceStubs;
import dev.tempora.client.aws.AwsServiceStubsOptions;
import dev.tempora.client.aws.AwsServiceStubsOptions.Service;
import dev.tempora.devserver.DevServer;
import dev.tempora.examples.ExamplesSetup;
import dev.tempora.examples.fanout.FanOutWorkflow;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A producer service's client: built by {@link AwsServiceStubs} with no worker setup (the workflow
 * code is not on its classpath, as far as the client knows), against the embedded stack. It checks
 * requests against the catalog the coordinator published when it started (ADR 10's one validation
 * path without the code): starts of registered types go through, typed and untyped; an unknown type
 * and an undeclared signal are refused with their names, and nothing is written.
 */
class ClientWithoutCodeTest {
  static DevServer server;
  static AwsServiceStubs service;
  static WorkflowClient client;

  @BeforeAll
  static void start() {
    server = DevServer.start(new ExamplesSetup());
    var c = server.config();
    AwsServiceStubsOptions options = AwsServiceStubsOptions.newBuilder().setNamespace(c.namespace())
        .setTableName(c.tableName()).setQueuePrefix(c.queuePrefix()).setCoordinatorFunction(c.coordinatorFunctionName())
        .setRegion("us-east-1").setCredentialsProvider(server.aws().credentials())
        .setEndpointOverride(Service.DYNAMODB, server.aws().dynamoEndpoint())
        .setEndpointOverride(Service.SQS, server.aws().sqsEndpoint())
        .setEndpointOverride(Service.LAMBDA, URI.create(server.lambdaEndpoint().toString()))
        .build();
    assertNull(options.getWorkerSetup());
    service = AwsServiceStubs.newInstance(options);
    client = WorkflowClient.newInstance(service, WorkflowClientOptions.getDefaultInstance());
  }

  @AfterAll
  static void stop() {
    service.close();
    server.close();
  }

  static WorkflowOptions id(String id) {
    return WorkflowOptions.newBuilder().setWorkflowId(id).build();
  }

  @Test
  void startsTypedAndUntypedWorkflowsOfTheCatalog() {
    FanOutWorkflow typed = client.newWorkflowStub(FanOutWorkflow.class, id("nocode-typed"));
    WorkflowClient.start(typed::sumOfSquares, 3);
    assertEquals(14L, client.newUntypedWorkflowStub("nocode-typed").getResult(Duration.ofSeconds(30), Long.class));

    client.newUntypedWorkflowStub("ExpenseWorkflow", id("nocode-untyped")).start(Map.of("expenseId", "e-1",
        "employee", "ann", "amountCents", 4200, "description", "taxi"));
    assertEquals("ExpenseWorkflow", client.describe("nocode-untyped").workflowType());
    client.newUntypedWorkflowStub("nocode-untyped").signal("approve", "bob");
    assertEquals("APPROVED", client.newUntypedWorkflowStub("nocode-untyped").getResult(Duration.ofSeconds(30), String.class));
  }

  @Test
  void refusesAnUnknownTypeAndAnUndeclaredSignalWritingNothing() {
    refused("UnknownWorkflowType", () -> client.newUntypedWorkflowStub("NoSuchWorkflow", id("nocode-unknown")).start());
    assertThrows(WorkflowNotFoundException.class, () -> client.describe("nocode-unknown"));
    refused("InvalidArguments", () -> client.newUntypedWorkflowStub("FanOutWorkflow", id("nocode-args")).start(1, 2));
    assertThrows(WorkflowNotFoundException.class, () -> client.describe("nocode-args"));

    client.newUntypedWorkflowStub("ExpenseWorkflow", id("nocode-signal")).start(Map.of("expenseId", "e-2",
        "employee", "ann", "amountCents", 900, "description", "lunch"));
    WorkflowStub run = client.newUntypedWorkflowStub("nocode-signal");
    // Waiting for the approval (its reminder timer set): its history stays as it is until a signal.
    for (int i = 0; i < 300 && client.describe("nocode-signal").pendingTimers().isEmpty(); i++) sleep(100);
    long before = client.describe("nocode-signal").historyLength();
    refused("UnknownSignal", () -> run.signal("approvee", "bob"));
    refused("InvalidArguments", () -> run.signal("approve"));
    assertEquals(before, client.describe("nocode-signal").historyLength(), "nothing recorded");
  }

  /** A type deployed after the client read the catalog: the unknown name reads it again, once. */
  @Test
  void aTypeOfALaterDeploymentIsFoundByReadingTheCatalogAgain() {
    refused("UnknownWorkflowType", () -> client.newUntypedWorkflowStub("Greeting", id("nocode-before")).start("x"));
    server.deploy(new GreetingSetup());
    Greeting typed = client.newWorkflowStub(Greeting.class, id("nocode-greeting"));
    WorkflowClient.start(typed::greet, "ann");
    assertEquals("hello ann", client.newUntypedWorkflowStub("nocode-greeting").getResult(Duration.ofSeconds(30),
        String.class));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void refused(String error, Executable call) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, call);
    assertEquals(error, e.getError(), e::getMessage);
  }

  @WorkflowInterface
  public interface Greeting {
    @WorkflowMethod
    String greet(String name);

    @SignalMethod
    void wave();
  }

  public static final class GreetingImpl implements Greeting {
    @Override
    public String greet(String name) {
      return "hello " + name;
    }

    @Override
    public void wave() {}
  }

  /** The examples and one more type: a later deployment. */
  public static final class GreetingSetup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      new ExamplesSetup().configure(worker);
      worker.registerWorkflowImplementationTypes(GreetingImpl.class);
    }
  }
}
