package dev.tempora.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.DynamicActivity;
import dev.tempora.activity.LocalActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowClientOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.common.converter.EncodedValues;
import dev.tempora.common.interceptors.ActivityInboundCallsInterceptor;
import dev.tempora.common.interceptors.ActivityInboundCallsInterceptorBase;
import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.common.interceptors.WorkflowClientCallsInterceptor;
import dev.tempora.common.interceptors.WorkflowClientCallsInterceptorBase;
import dev.tempora.common.interceptors.WorkflowClientInterceptor;
import dev.tempora.common.interceptors.WorkflowInboundCallsInterceptor;
import dev.tempora.common.interceptors.WorkflowInboundCallsInterceptorBase;
import dev.tempora.common.interceptors.WorkflowOutboundCallsInterceptor;
import dev.tempora.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import dev.tempora.converter.AesGcmPayloadCodec;
import dev.tempora.converter.CodecDataConverter;
import dev.tempora.converter.DataConverter;
import dev.tempora.converter.DefaultDataConverter;
import dev.tempora.converter.LocalKeyProvider;
import dev.tempora.history.Event;
import dev.tempora.history.HistoryEvent;
import dev.tempora.testing.TestEnvironmentOptions;
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.UpdateMethod;
import dev.tempora.workflow.UpdateValidatorMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How interceptors chain (the last registered is the outermost inbound, and so the innermost
 * outbound, as in Temporal), what an
 * interceptor may change (arguments, results), and that updates and a dynamic activity go
 * through them.
 */
class InterceptorChainTest {

  @WorkflowInterface
  public interface Greeter {
    @WorkflowMethod
    String greet(String name);

    @UpdateMethod
    String rename(String name);

    @UpdateValidatorMethod(updateName = "rename")
    void validateRename(String name);

    @SignalMethod
    void nickname(String name);
  }

  @WorkflowInterface
  public interface Parent {
    @WorkflowMethod
    String run(String name);
  }

  public static class ParentImpl implements Parent {
    @Override
    public String run(String name) {
      return Workflow.newChildWorkflowStub(Greeter.class).greet(name);
    }
  }

  @ActivityInterface
  public interface Shout {
    String shout(String s);
  }

  /** No implementation of Shout: the dynamic activity serves it. */
  public static class Echo implements DynamicActivity {
    @Override
    public Object execute(EncodedValues args) {
      return args.get(0, String.class).toUpperCase();
    }
  }

  public static class GreeterImpl implements Greeter {
    private final Shout shout = Workflow.newActivityStub(Shout.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
    private String name;

    @Override
    public String greet(String n) {
      name = n;
      Workflow.await(Duration.ofMinutes(1), () -> false);
      return shout.shout("hello " + name);
    }

    @Override
    public String rename(String n) {
      name = n;
      return "renamed " + n;
    }

    @Override
    public void validateRename(String n) {}

    @Override
    public void nickname(String n) {
      name = n;
    }
  }

  @WorkflowInterface
  public interface LocalShouter {
    @WorkflowMethod
    String run(String s);
  }

  /** Shout as a local activity: no implementation, so the dynamic activity serves it in the task. */
  public static class LocalShouterImpl implements LocalShouter {
    private final Shout shout = Workflow.newLocalActivityStub(Shout.class,
        LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

    @Override
    public String run(String s) {
      return shout.shout(s);
    }
  }

  static final List<String> calls = new CopyOnWriteArrayList<>();

  /** Records its name around each call and appends it to the workflow's argument and result. */
  record Named(String name) implements WorkerInterceptor {
    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
      return new WorkflowInboundCallsInterceptorBase(next) {
        @Override
        public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
          super.init(new WorkflowOutboundCallsInterceptorBase(outboundCalls) {
            @Override
            public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
              if (!Workflow.isReplaying()) {
                calls.add(name + " executeActivity " + input.activityName());
              }
              return super.executeActivity(input);
            }

            @Override
            public <R> ChildWorkflowOutput<R> executeChildWorkflow(ChildWorkflowInput<R> input) {
              if (!Workflow.isReplaying()) {
                calls.add(name + " executeChildWorkflow " + input.workflowType() + " " + List.of(input.arguments()));
              }
              return super.executeChildWorkflow(input);
            }
          });
        }

        @Override
        public WorkflowOutput execute(WorkflowInput input) {
          if (!Workflow.isReplaying()) {
            calls.add(name + " execute");
          }
          WorkflowOutput out = super.execute(new WorkflowInput(new Object[] {input.arguments()[0] + "+" + name}));
          return new WorkflowOutput(out.result() + "<" + name);
        }

        @Override
        public void validateUpdate(UpdateInput input) {
          calls.add(name + " validateUpdate " + input.updateName());
          super.validateUpdate(input);
        }

        @Override
        public UpdateOutput executeUpdate(UpdateInput input) {
          calls.add(name + " executeUpdate " + input.updateName());
          return super.executeUpdate(input);
        }
      };
    }

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
      return new ActivityInboundCallsInterceptorBase(next) {
        @Override
        public ActivityOutput execute(ActivityInput input) {
          calls.add(name + " activity " + input.arguments()[0].getClass().getSimpleName());
          return super.execute(input);
        }
      };
    }
  }

  record ClientNamed(String name) implements WorkflowClientInterceptor {
    @Override
    public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
      return new WorkflowClientCallsInterceptorBase(next) {
        @Override
        public WorkflowStartOutput start(WorkflowStartInput input) {
          calls.add(name + " start");
          return super.start(input);
        }

        @Override
        public WorkflowSignalWithStartOutput signalWithStart(WorkflowSignalWithStartInput input) {
          calls.add(name + " signalWithStart " + input.signalName() + " " + List.of(input.signalArguments()));
          return super.signalWithStart(new WorkflowSignalWithStartInput(input.workflowStartInput(), input.signalName(),
              new Object[] {input.signalArguments()[0] + "-" + name}, input.signalOptions()));
        }

        @Override
        public <R> GetResultOutput<R> getResult(GetResultInput<R> input) {
          calls.add(name + " getResult");
          return super.getResult(input);
        }
      };
    }
  }

  @Test
  void theLastRegisteredInterceptorIsOutermostAndMayChangeArgumentsAndResults() {
    calls.clear();
    try (TestWorkflowEnvironment env = Envs.env()) {
      env.registerWorkflowImplementationTypes(GreeterImpl.class);
      env.registerActivitiesImplementations(new Echo());
      env.registerWorkerInterceptors(new Named("A"), new Named("B"));
      WorkflowClient client = WorkflowClient.newInstance(env.getWorkflowClient(),
          WorkflowClientOptions.newBuilder().setInterceptors(new ClientNamed("X"), new ClientNamed("Y")).build());
      Greeter greeter = client.newWorkflowStub(Greeter.class, Envs.id("chain"));
      WorkflowClient.start(greeter::greet, "ann");
      assertEquals("renamed bob", WorkflowStub.fromTyped(greeter).update("rename", String.class, "bob"));
      String result = WorkflowStub.fromTyped(greeter).getResult(String.class);

      // B wraps A: B adds to the argument first, A last; A's result suffix comes first. Outbound it
      // is the other way round (as in Temporal): each init wraps what the outer one passed down,
      // so the workflow code's call meets A's wrapper first.
      assertEquals("HELLO BOB<A<B", result);
      List<String> expected = new ArrayList<>(List.of("Y start", "X start", "B execute", "A execute",
          "B validateUpdate rename", "A validateUpdate rename", "B executeUpdate rename", "A executeUpdate rename",
          "Y getResult", "X getResult", "A executeActivity Shout", "B executeActivity Shout",
          "B activity EncodedValues", "A activity EncodedValues"));
      // The client's getResult call is made while the run is still waiting: its place among the
      // workflow's calls is not fixed, only its order with the other client calls.
      List<String> clientSide = calls.stream().filter(c -> c.startsWith("X ") || c.startsWith("Y ")).toList();
      assertEquals(List.of("Y start", "X start", "Y getResult", "X getResult"), clientSide);
      expected.removeIf(c -> c.startsWith("X ") || c.startsWith("Y "));
      assertEquals(expected, calls.stream().filter(c -> !c.startsWith("X ") && !c.startsWith("Y ")).toList());
    }
  }

  @Test
  void signalWithStartGoesThroughTheClientInterceptors() {
    calls.clear();
    try (TestWorkflowEnvironment env = Envs.env()) {
      env.registerWorkflowImplementationTypes(GreeterImpl.class);
      env.registerActivitiesImplementations(new Echo());
      WorkflowClient client = WorkflowClient.newInstance(env.getWorkflowClient(),
          WorkflowClientOptions.newBuilder().setInterceptors(new ClientNamed("X"), new ClientNamed("Y")).build());
      WorkflowStub stub = client.newUntypedWorkflowStub("Greeter", Envs.id("sws"));
      stub.signalWithStart("nickname", new Object[] {"cy"}, new Object[] {"ann"});
      assertEquals("HELLO ANN", stub.getResult(String.class)); // the signal is handled first, then the method
      Event.WorkflowSignaled signaled = stub.fetchHistory().stream().map(HistoryEvent::event)
          .filter(Event.WorkflowSignaled.class::isInstance).map(Event.WorkflowSignaled.class::cast).findFirst().orElseThrow();
      assertEquals("[\"cy-Y-X\"]", signaled.input().json(), "each interceptor changed the signal's argument");
      assertEquals(List.of("Y signalWithStart nickname [cy]", "X signalWithStart nickname [cy-Y]", "Y getResult",
          "X getResult"), calls);
    }
  }

  @Test
  void aChildWorkflowStartGoesThroughTheOutboundInterceptors() {
    calls.clear();
    try (TestWorkflowEnvironment env = Envs.env()) {
      env.registerWorkflowImplementationTypes(GreeterImpl.class, ParentImpl.class);
      env.registerActivitiesImplementations(new Echo());
      env.registerWorkerInterceptors(new Named("A"));
      Parent parent = env.getWorkflowClient().newWorkflowStub(Parent.class, Envs.id("parent"));
      // The parent's argument and the child's result pass A twice: once in each run.
      assertEquals("HELLO KID+A+A<A<A", parent.run("kid"));
      assertEquals(List.of("A execute", "A executeChildWorkflow Greeter [kid+A]", "A execute",
          "A executeActivity Shout", "A activity EncodedValues"), calls);
    }
  }

  @Test
  void aDynamicActivityServesALocalActivityCallThroughTheActivityInterceptors() {
    calls.clear();
    try (TestWorkflowEnvironment env = Envs.env()) {
      env.registerWorkflowImplementationTypes(LocalShouterImpl.class);
      env.registerActivitiesImplementations(new Echo());
      env.registerWorkerInterceptors(new Named("A"), new Named("B"));
      LocalShouter w = env.getWorkflowClient().newWorkflowStub(LocalShouter.class, Envs.id("local-dynamic"));
      assertEquals("HEY+B+A<A<B", w.run("hey"));
      assertEquals(List.of("B execute", "A execute", "B activity EncodedValues", "A activity EncodedValues"), calls);
      assertTrue(WorkflowStub.fromTyped(w).fetchHistory().stream()
          .anyMatch(e -> e.event() instanceof Event.MarkerRecorded), "the control: it ran as a local activity");
    }
  }

  @Test
  void aClientWithInterceptorsKeepsTheEnginesDataConverter() {
    calls.clear();
    DataConverter encrypting = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(),
        List.of(new AesGcmPayloadCodec(LocalKeyProvider.of("k1", LocalKeyProvider.newKey()))));
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setStartTime(Envs.T0).setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
            .setDataConverter(encrypting).build()).build())) {
      env.registerWorkflowImplementationTypes(GreeterImpl.class);
      env.registerActivitiesImplementations(new Echo());
      WorkflowClient client = WorkflowClient.newInstance(env.getWorkflowClient(),
          WorkflowClientOptions.newBuilder().setInterceptors(new ClientNamed("X")).build());
      WorkflowStub stub = client.newUntypedWorkflowStub("Greeter", Envs.id("keeps-converter"));
      stub.start("ann");
      assertEquals("HELLO ANN", stub.getResult(String.class));
      Event.WorkflowExecutionStarted started = (Event.WorkflowExecutionStarted) stub.fetchHistory().getFirst().event();
      assertEquals(AesGcmPayloadCodec.ENCODING, started.input().encoding(), "the client encrypted the start's input");
      assertEquals(List.of("X start", "X getResult"), calls);
    }
  }
}
