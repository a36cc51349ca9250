package dev.tempora.internal.client;

import dev.tempora.client.ActivityCompletionClient;
import dev.tempora.client.ListExecutionsRequest;
import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowClientOptions;
import dev.tempora.client.WorkflowDescription;
import dev.tempora.client.WorkflowExecution;
import dev.tempora.client.WorkflowExecutionCount;
import dev.tempora.client.WorkflowExecutionInfo;
import dev.tempora.client.WorkflowExecutionMetadata;
import dev.tempora.client.WorkflowExecutionPage;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.client.WorkflowStub;
import dev.tempora.common.interceptors.WorkflowClientInterceptor;
import dev.tempora.converter.DefaultDataConverter;
import dev.tempora.history.HistoryEvent;
import dev.tempora.internal.completion.AsyncCompletions;
import dev.tempora.internal.converter.DataConverter;
import dev.tempora.internal.metadata.WorkflowInterfaceMetadata;
import dev.tempora.internal.schedules.ScheduleService;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** The client over a {@link WorkflowService}; the same class for the in-memory and the AWS runtime. */
public final class WorkflowClientImpl implements WorkflowClient {
  private static final int STREAM_PAGE_SIZE = 100;

  private final WorkflowService service;
  private final ScheduleService schedules;
  private final AsyncCompletions completions;
  private final DataConverter converter;
  private final List<WorkflowClientInterceptor> interceptors;

  public WorkflowClientImpl(WorkflowService service) {
    this(service, null);
  }

  /** {@code schedules}: the engine's schedules, for {@code ScheduleClient.newInstance(client)} (null: none). */
  public WorkflowClientImpl(WorkflowService service, ScheduleService schedules) {
    this(service, schedules, null, DataConverter.get());
  }

  /**
   * {@code completions}: the engine's async activity completion (null: none); {@code converter}: what
   * arguments and results go through (the worker's, so both read each other's payloads).
   */
  public WorkflowClientImpl(WorkflowService service, ScheduleService schedules, AsyncCompletions completions,
      DataConverter converter) {
    this(service, schedules, completions, converter, List.of());
  }

  /** {@code interceptors}: the client's (WorkflowClientOptions), each stub call goes through them. */
  private WorkflowClientImpl(WorkflowService service, ScheduleService schedules, AsyncCompletions completions,
      DataConverter converter, List<WorkflowClientInterceptor> interceptors) {
    this.service = service;
    this.schedules = schedules;
    this.completions = completions;
    this.converter = converter;
    this.interceptors = interceptors;
  }

  /**
   * {@code WorkflowClient.newInstance}: a client over the same engine as {@code client}, with these
   * options. It keeps the engine's data converter (the one its workers use) unless the options set
   * another than the standard one.
   */
  public static WorkflowClient withOptions(WorkflowClient client, WorkflowClientOptions options) {
    if (!(client instanceof WorkflowClientImpl c)) {
      throw new IllegalArgumentException("not a Tempora client: " + client);
    }
    DataConverter converter = options.getDataConverter() == DefaultDataConverter.STANDARD_INSTANCE
        ? c.converter : DataConverter.of(options.getDataConverter());
    return new WorkflowClientImpl(c.service, c.schedules, c.completions, converter, options.getInterceptors());
  }

  @Override
  public ActivityCompletionClient newActivityCompletionClient() {
    if (completions == null) {
      throw new UnsupportedOperationException("this client's engine has no async activity completion");
    }
    return new ActivityCompletionClientImpl(completions, converter);
  }

  public ScheduleService schedules() {
    return schedules;
  }

  @Override
  public <T> T newWorkflowStub(Class<T> workflowInterface, WorkflowOptions options) {
    WorkflowInterfaceMetadata md = WorkflowInterfaceMetadata.ofInterface(workflowInterface);
    return TypedStubs.newStub(workflowInterface, new WorkflowStubImpl(service, md.workflowType(), options, idOf(options), converter, interceptors));
  }

  @Override
  public <T> T newWorkflowStub(Class<T> workflowInterface, String workflowId) {
    RequestValidator.workflowId(workflowId);
    WorkflowInterfaceMetadata md = WorkflowInterfaceMetadata.ofInterface(workflowInterface);
    return TypedStubs.newStub(workflowInterface, new WorkflowStubImpl(service, md.workflowType(), null, workflowId, converter, interceptors));
  }

  @Override
  public WorkflowStub newUntypedWorkflowStub(String workflowType, WorkflowOptions options) {
    return new WorkflowStubImpl(service, workflowType, options, idOf(options), converter, interceptors);
  }

  @Override
  public WorkflowStub newUntypedWorkflowStub(String workflowId) {
    RequestValidator.workflowId(workflowId);
    return new WorkflowStubImpl(service, null, null, workflowId, converter, interceptors);
  }

  @Override
  public WorkflowDescription describe(String workflowId) {
    return service.describe(workflowId);
  }

  @Override
  public List<HistoryEvent> fetchHistory(String workflowId) {
    return service.history(service.currentRun(workflowId).run());
  }

  @Override
  public List<HistoryEvent> fetchHistory(String workflowId, String runId) {
    RequestValidator.workflowId(workflowId);
    if (runId == null) {
      return fetchHistory(workflowId);
    }
    return service.history(service.runRecord(service.runKey(new WorkflowExecution(workflowId, runId))).run());
  }

  @Override
  public List<WorkflowExecutionInfo> listExecutions(ListExecutionsRequest request) {
    return service.list(request);
  }

  @Override
  public Stream<WorkflowExecutionMetadata> listExecutions(String query) {
    return listExecutions(query, false);
  }

  @Override
  public Stream<WorkflowExecutionMetadata> listExecutions(String query, boolean allowScan) {
    // The first page is read now, so a refused query throws here rather than in the consumer's loop.
    WorkflowExecutionPage first = listExecutionsPage(query, null, STREAM_PAGE_SIZE, allowScan);
    return Stream.iterate(first, Objects::nonNull, p -> p.nextPageToken() == null ? null
            : listExecutionsPage(query, p.nextPageToken(), STREAM_PAGE_SIZE, allowScan))
        .flatMap(p -> p.executions().stream());
  }

  @Override
  public WorkflowExecutionPage listExecutionsPage(String query, String pageToken, int pageSize, boolean allowScan) {
    return service.listPage(query, pageToken, pageSize, allowScan);
  }

  @Override
  public WorkflowExecutionCount countWorkflows(String query) {
    return countWorkflows(query, false);
  }

  @Override
  public WorkflowExecutionCount countWorkflows(String query, boolean allowScan) {
    return new WorkflowExecutionCount(service.count(query, allowScan));
  }

  private String idOf(WorkflowOptions options) {
    return options.getWorkflowId() != null ? options.getWorkflowId() : service.newId();
  }
}
