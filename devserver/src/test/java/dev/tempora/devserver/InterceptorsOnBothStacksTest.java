package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import dev.tempora.activity.Activity;
import dev.tempora.activity.ActivityExecutionContext;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowClientOptions;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.client.WorkflowUpdateHandle;
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
import dev.tempora.testing.TestWorkflowEnvironment;
import dev.tempora.workflow.QueryMethod;
import dev.tempora.workflow.SignalMethod;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

/**
 * Worker and client interceptors (issue 13) on the in-memory environment and the embedded AWS
 * stack, where the worker interceptor comes from the deployment's WorkerSetup, so it runs in the
 * coordinator and the activity handlers: it records every workflow and activity call in order and
 * puts the workflow id in the MDC while an activity runs (the activity reads it back). Inbound and
 * outbound calls happen again on replay, as in Temporal: the recorder skips them there with
 * {@code Workflow.isReplaying()}, and a raw count shows they did happen.
 */
@Timeout(180)
class InterceptorsOnBothStacksTest {

  @WorkflowInterface
  public interface Pipeline {
    @WorkflowMethod
    String run(String input);

    @SignalMethod
    void approve(String by);

    @QueryMethod
    String stage();
  }

  @ActivityInterface
  public interface Steps {
    String prepare(String input);

    String finish(String input);
  }

  /** Returns what the MDC says while it runs: the interceptor put the workflow id there. */
  public static class StepsImpl implements Steps {
    @Override
    public String prepare(String input) {
      return "prepare(" + input + ")@" + MDC.get("workflowId");
    }

    @Override
    public String finish(String input) {
      return "finish(" + input + ")@" + MDC.get("workflowId");
    }
  }

  public static class PipelineImpl implements Pipeline {
    private final Steps steps = Workflow.newActivityStub(Steps.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
    private String stage = "started";
    private String approver;

    @Override
    public String run(String input) {
      String prepared = steps.prepare(input);
      stage = "waiting";
      Workflow.await(() -> approver != null);
      String finished = steps.finish(approver);
      Workflow.sleep(Duration.ofSeconds(1));
      return prepared + "," + finished;
    }

    @Override
    public void approve(String by) {
      approver = by;
    }

    @Override
    public String stage() {
      return stage;
    }
  }

  /** Calls by workflow id: {@code recorded} once each (not on replay), {@code all} every time. */
  static final List<String> recorded = new CopyOnWriteArrayList<>();
  static final List<String> all = new CopyOnWriteArrayList<>();
  static final List<String> clientCalls = new CopyOnWriteArrayList<>();

  static void record(String workflowId, String call, boolean replaying) {
    all.add(workflowId + " " + call);
    if (!replaying) {
      recorded.add(workflowId + " " + call);
    }
  }

  static List<String> of(List<String> calls, String workflowId) {
    return calls.stream().filter(c -> c.startsWith(workflowId + " ")).map(c -> c.substring(workflowId.length() + 1))
        .toList();
  }

  /** The worker interceptor under test: records workflow and activity calls, sets the activity's MDC. */
  public static class Recorder implements WorkerInterceptor {
    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
      return new WorkflowInboundCallsInterceptorBase(next) {
        @Override
        public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
          super.init(new OutboundRecorder(outboundCalls));
        }

        @Override
        public WorkflowOutput execute(WorkflowInput input) {
          inWorkflow("execute " + Workflow.getInfo().workflowType() + " " + List.of(input.arguments()));
          return super.execute(input);
        }

        @Override
        public void handleSignal(SignalInput input) {
          inWorkflow("signal " + input.signalName() + " " + List.of(input.arguments()));
          super.handleSignal(input);
        }

        @Override
        public QueryOutput handleQuery(QueryInput input) {
          QueryOutput out = super.handleQuery(input);
          // Outside the workflow's threads (Workflow.* is not available): the query's own call.
          queried.add(input.queryName() + "=" + out.result());
          return out;
        }
      };
    }

    /** Queries answered, from any run: checked by value, not by workflow id. */
    static final List<String> queried = new CopyOnWriteArrayList<>();

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
      return new ActivityInboundCallsInterceptorBase(next) {
        private ActivityExecutionContext context;

        @Override
        public void init(ActivityExecutionContext context) {
          this.context = context;
          super.init(context);
        }

        @Override
        public ActivityOutput execute(ActivityInput input) {
          String workflowId = context.getInfo().workflowId();
          assertSame(context, Activity.getExecutionContext());
          record(workflowId, "activity " + context.getInfo().activityType() + " " + List.of(input.arguments()), false);
          MDC.put("workflowId", workflowId);
          try {
            return super.execute(input);
          } finally {
            MDC.remove("workflowId");
          }
        }
      };
    }
  }

  static void inWorkflow(String call) {
    record(Workflow.getInfo().workflowId(), call, Workflow.isReplaying());
  }

  static final class OutboundRecorder extends WorkflowOutboundCallsInterceptorBase {
    OutboundRecorder(WorkflowOutboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
      inWorkflow("executeActivity " + input.activityName() + " " + List.of(input.args()));
      return super.executeActivity(input);
    }

    @Override
    public void sleep(Duration duration) {
      inWorkflow("sleep " + duration);
      super.sleep(duration);
    }

    @Override
    public void await(String reason, Supplier<Boolean> unblockCondition) {
      inWorkflow("await");
      super.await(reason, unblockCondition);
    }
  }

  /** The client interceptor under test: records the stubs' calls. */
  static final class ClientRecorder implements WorkflowClientInterceptor {
    @Override
    public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
      return new WorkflowClientCallsInterceptorBase(next) {
        @Override
        public WorkflowStartOutput start(WorkflowStartInput input) {
          clientCalls.add(input.workflowId() + " start " + input.workflowType() + " " + List.of(input.arguments()));
          return super.start(input);
        }

        @Override
        public WorkflowSignalOutput signal(WorkflowSignalInput input) {
          clientCalls.add(input.workflowExecution().workflowId() + " signal " + input.signalName());
          return super.signal(input);
        }

        @Override
        public <R> QueryOutput<R> query(QueryInput<R> input) {
          QueryOutput<R> out = super.query(input);
          clientCalls.add(input.workflowExecution().workflowId() + " query " + input.queryType() + "=" + out.result());
          return out;
        }

        @Override
        public <R> GetResultOutput<R> getResult(GetResultInput<R> input) {
          GetResultOutput<R> out = super.getResult(input);
          clientCalls.add(input.workflowExecution().workflowId() + " getResult " + out.result());
          return out;
        }
      };
    }
  }

  /** The deployment's setup: the embedded stack's coordinator and activity handlers get the interceptor from it. */
  public static class RecordingSetup implements WorkerSetup {
    @Override
    public void configure(Worker worker) {
      worker.registerWorkflowImplementationTypes(PipelineImpl.class).registerActivitiesImplementations(new StepsImpl())
          .registerWorkerInterceptors(new Recorder());
    }
  }

  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(new RecordingSetup());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestWorkflowEnvironment environment(String stack) {
    TestWorkflowEnvironment env = BothStacks.environment(stack, server);
    if (stack.equals("in-memory")) {
      env.registerWorkflowImplementationTypes(PipelineImpl.class);
      env.registerActivitiesImplementations(new StepsImpl());
      env.registerWorkerInterceptors(new Recorder());
    }
    return env;
  }

  @ParameterizedTest(name = "on {0}")
  @ValueSource(strings = {"in-memory", "embedded-aws"})
  void interceptorsSeeEveryCallInOrderAndTheActivitySeesTheMdc(String stack) {
    try (TestWorkflowEnvironment env = environment(stack)) {
      WorkflowClient client = WorkflowClient.newInstance(env.getWorkflowClient(),
          WorkflowClientOptions.newBuilder().setInterceptors(new ClientRecorder()).build());
      String id = "intercepted-" + stack;
      Pipeline pipeline = client.newWorkflowStub(Pipeline.class, WorkflowOptions.newBuilder().setWorkflowId(id).build());
      WorkflowClient.start(pipeline::run, "in");
      env.awaitIdle();
      assertEquals("waiting", pipeline.stage());
      // The next task replays the run's history in a new runner: its calls happen again, on replay.
      env.evictRunners();
      pipeline.approve("ann");
      String result = WorkflowStub.fromTyped(pipeline).getResult(Duration.ofSeconds(60), String.class);

      assertEquals("prepare(in)@" + id + ",finish(ann)@" + id, result, "the activities saw the MDC");
      assertEquals(List.of(
          "execute Pipeline [in]",
          "executeActivity Prepare [in]",
          "activity Prepare [in]",
          "await",
          "signal approve [ann]",
          "executeActivity Finish [ann]",
          "activity Finish [ann]",
          "sleep PT1S"), of(recorded, id));
      assertTrue(of(all, id).stream().filter(c -> c.startsWith("execute Pipeline")).count() >= 2,
          "replay calls the interceptors again: " + of(all, id));
      assertTrue(Recorder.queried.contains("stage=waiting"), Recorder.queried.toString());
      assertEquals(List.of(
          "start Pipeline [in]",
          "query stage=waiting",
          "signal approve",
          "getResult " + result), of(clientCalls, id));
    }
  }
}
