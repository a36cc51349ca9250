package dev.tempora.client;

import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.client.TypedStubs;
import dev.tempora.client.aws.AwsServiceStubs;
import dev.tempora.internal.client.WorkflowClientImpl;
import dev.tempora.workflow.Functions;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts workflows and talks to them. Typed stubs call the workflow interface's methods: the
 * workflow method starts the run and waits for its result, signal methods signal, query methods
 * query. {@link #start} starts without waiting.
 */
public interface WorkflowClient {

  /**
   * A client over the same engine as {@code client} (the test environment's, the devserver's, the
   * AWS runtime's) with {@code options}: its interceptors wrap every stub call.
   */
  static WorkflowClient newInstance(WorkflowClient client, WorkflowClientOptions options) {
    return WorkflowClientImpl.withOptions(client, options);
  }

  /**
   * A client of an engine deployed on AWS (Temporal's {@code WorkflowClient.newInstance(service,
   * options)}): {@code service} from {@link AwsServiceStubs#newInstance}. The schedule client is
   * {@code ScheduleClient.newInstance(client)}, the activity completion client {@link
   * #newActivityCompletionClient()}.
   */
  static WorkflowClient newInstance(AwsServiceStubs service, WorkflowClientOptions options) {
    return service.newWorkflowClient(options);
  }

  /** A stub that starts a new run with these options when its workflow method is called. */
  <T> T newWorkflowStub(Class<T> workflowInterface, WorkflowOptions options);

  /**
   * A stub bound to an existing workflow id (to signal, query or wait for it): its workflow method
   * waits for the id's latest run, open or closed, and returns its result; it starts nothing.
   */
  <T> T newWorkflowStub(Class<T> workflowInterface, String workflowId);

  WorkflowStub newUntypedWorkflowStub(String workflowType, WorkflowOptions options);

  WorkflowStub newUntypedWorkflowStub(String workflowId);

  WorkflowDescription describe(String workflowId);

  /** The history of the workflow id's latest run. */
  List<HistoryEvent> fetchHistory(String workflowId);

  /**
   * The history of one run of the workflow id: an earlier run of a continue-as-new chain or of a
   * retry, say (each run has its own history).
   *
   * @throws WorkflowNotFoundException if the id has no such run
   */
  List<HistoryEvent> fetchHistory(String workflowId, String runId);

  List<WorkflowExecutionInfo> listExecutions(ListExecutionsRequest request);

  /**
   * The runs a list query matches, newest first unless it says {@code ORDER BY StartTime ASC}, read
   * page by page as the stream is consumed (Temporal's {@code listExecutions}). The query is a
   * subset of Temporal's list-filter language over system fields ({@code WorkflowId},
   * {@code RunId}, {@code WorkflowType}, {@code TaskQueue}, {@code ExecutionStatus},
   * {@code StartTime}, {@code CloseTime}) and search attributes:
   *
   * <pre>{@code
   * WorkflowType = 'Order' AND ExecutionStatus = 'Running' AND CustomerId = 'c-7'
   *     AND StartTime > '2026-01-01T00:00:00Z' ORDER BY StartTime DESC
   * }</pre>
   *
   * Null or blank: every run. See docs/adr/0022-search-attributes-and-list-queries.md for the forms
   * and what each costs.
   *
   * @throws InvalidRequestException {@code InvalidQuery} if it does not parse, {@code UnsupportedQuery}
   *     for forms this engine does not answer, {@code QueryRequiresScan} if it would read every run
   *     of the namespace (filters on non-key fields over all statuses and all start times): narrow
   *     it, or allow the scan with {@link #listExecutions(String, boolean)}
   */
  Stream<WorkflowExecutionMetadata> listExecutions(String query);

  /** As {@link #listExecutions(String)}; {@code allowScan}: answer also a query that reads every run. */
  Stream<WorkflowExecutionMetadata> listExecutions(String query, boolean allowScan);

  /** One page (at most {@code pageSize}, 1 to 1000) of a list query; {@code pageToken} null for the first. */
  WorkflowExecutionPage listExecutionsPage(String query, String pageToken, int pageSize, boolean allowScan);

  /** How many runs the query matches (its cost is listing them all). Same refusals as {@link #listExecutions(String)}. */
  WorkflowExecutionCount countWorkflows(String query);

  WorkflowExecutionCount countWorkflows(String query, boolean allowScan);

  /**
   * Starts the workflow method of a typed stub without waiting: {@code WorkflowClient.start(stub::run, arg)}.
   * Afterwards the stub is bound to the run: calling its workflow method waits for the result.
   * Overloads take the workflow method's arguments, up to six, as Temporal's do.
   */
  static <R> WorkflowExecution start(Functions.Func<R> workflowMethod) {
    return TypedStubs.startAsync(workflowMethod);
  }

  static <A1, R> WorkflowExecution start(Functions.Func1<A1, R> workflowMethod, A1 a1) {
    return start(() -> workflowMethod.apply(a1));
  }

  static <A1, A2, R> WorkflowExecution start(Functions.Func2<A1, A2, R> workflowMethod, A1 a1, A2 a2) {
    return start(() -> workflowMethod.apply(a1, a2));
  }

  static <A1, A2, A3, R> WorkflowExecution start(Functions.Func3<A1, A2, A3, R> workflowMethod, A1 a1, A2 a2, A3 a3) {
    return start(() -> workflowMethod.apply(a1, a2, a3));
  }

  static <A1, A2, A3, A4, R> WorkflowExecution start(Functions.Func4<A1, A2, A3, A4, R> workflowMethod, A1 a1, A2 a2, A3 a3, A4 a4) {
    return start(() -> workflowMethod.apply(a1, a2, a3, a4));
  }

  static <A1, A2, A3, A4, A5, R> WorkflowExecution start(Functions.Func5<A1, A2, A3, A4, A5, R> workflowMethod, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return start(() -> workflowMethod.apply(a1, a2, a3, a4, a5));
  }

  static <A1, A2, A3, A4, A5, A6, R> WorkflowExecution start(Functions.Func6<A1, A2, A3, A4, A5, A6, R> workflowMethod, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5, A6 a6) {
    return start(() -> workflowMethod.apply(a1, a2, a3, a4, a5, a6));
  }

  static WorkflowExecution start(Functions.Proc workflowMethod) {
    return start(() -> {
      workflowMethod.apply();
      return null;
    });
  }

  static <A1> WorkflowExecution start(Functions.Proc1<A1> workflowMethod, A1 a1) {
    return start(() -> {
      workflowMethod.apply(a1);
      return null;
    });
  }

  static <A1, A2> WorkflowExecution start(Functions.Proc2<A1, A2> workflowMethod, A1 a1, A2 a2) {
    return start(() -> {
      workflowMethod.apply(a1, a2);
      return null;
    });
  }

  static <A1, A2, A3> WorkflowExecution start(Functions.Proc3<A1, A2, A3> workflowMethod, A1 a1, A2 a2, A3 a3) {
    return start(() -> {
      workflowMethod.apply(a1, a2, a3);
      return null;
    });
  }

  static <A1, A2, A3, A4> WorkflowExecution start(Functions.Proc4<A1, A2, A3, A4> workflowMethod, A1 a1, A2 a2, A3 a3, A4 a4) {
    return start(() -> {
      workflowMethod.apply(a1, a2, a3, a4);
      return null;
    });
  }

  static <A1, A2, A3, A4, A5> WorkflowExecution start(Functions.Proc5<A1, A2, A3, A4, A5> workflowMethod, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5) {
    return start(() -> {
      workflowMethod.apply(a1, a2, a3, a4, a5);
      return null;
    });
  }

  static <A1, A2, A3, A4, A5, A6> WorkflowExecution start(Functions.Proc6<A1, A2, A3, A4, A5, A6> workflowMethod, A1 a1, A2 a2, A3 a3, A4 a4, A5 a5, A6 a6) {
    return start(() -> {
      workflowMethod.apply(a1, a2, a3, a4, a5, a6);
      return null;
    });
  }

  /**
   * A client that completes, fails, cancels and heartbeats activities that returned without a
   * result (async completion), by task token or by ids.
   */
  default ActivityCompletionClient newActivityCompletionClient() {
    throw new UnsupportedOperationException("this client has no activity completion");
  }
}
