package dev.tempora.testing;

import dev.tempora.converter.DataConverter;
import dev.tempora.client.WorkflowClient;
import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.internal.testing.EnvironmentBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The whole engine in memory with a virtual clock: register workflows and activities (your own
 * objects, so mocks are plain objects), use the client, and let time skip. While a client waits
 * for a result and nothing else can happen, the clock jumps to the next timer, so a workflow that
 * sleeps 30 days finishes in milliseconds; {@link #sleep} moves time by hand. Workflow tasks and
 * activities run one at a time, in order, so a test produces the same history every run. Client
 * calls that send something (start, signal, cancel) return once the engine has reacted to it, not
 * waiting for timers or for an activity that runs longer than 200 ms; while such an activity runs,
 * time does not skip but passes as real time does (as in Temporal's test server).
 * An activity must not block waiting for the test thread.
 */
public final class TestWorkflowEnvironment implements AutoCloseable {
  private final EnvironmentBackend backend;

  private TestWorkflowEnvironment(EnvironmentBackend backend) {
    this.backend = backend;
  }

  public static TestWorkflowEnvironment newInstance() {
    return newInstance(TestEnvironmentOptions.getDefaultInstance());
  }

  public static TestWorkflowEnvironment newInstance(TestEnvironmentOptions options) {
    return new TestWorkflowEnvironment(new InMemoryBackend(options));
  }

  /**
   * An environment over another stack, for running the same tests there (the devserver's
   * embedded AWS stack provides one: {@code EmbeddedAwsBackend.newEnvironment(server)}). The backend
   * is internal API.
   */
  public static TestWorkflowEnvironment newInstance(EnvironmentBackend backend) {
    return new TestWorkflowEnvironment(backend);
  }

  /**
   * Registers workflow implementation classes (with no-argument constructors). Registering a type
   * again replaces its code, like a deploy: warm runners are dropped, and workflows whose tasks
   * were failing are retried with the new code.
   */
  public void registerWorkflowImplementationTypes(Class<?>... implementations) {
    backend.registerWorkflowImplementationTypes(implementations);
  }

  public <T> void registerWorkflowImplementationFactory(Class<T> workflowInterface, Supplier<? extends T> factory) {
    backend.registerWorkflowImplementationFactory(workflowInterface, factory);
  }

  /** Registers activity implementations; a type registered again is replaced. */
  public void registerActivitiesImplementations(Object... implementations) {
    backend.registerActivitiesImplementations(implementations);
  }

  /**
   * Adds worker interceptors around workflow code and activity attempts (as {@code
   * Worker.registerWorkerInterceptors} in a {@code WorkerSetup}); the last added is the outermost.
   */
  public void registerWorkerInterceptors(WorkerInterceptor... interceptors) {
    backend.registerWorkerInterceptors(interceptors);
  }

  /**
   * A deploy with another data converter (codecs turned on, a key rotated): the workers and the
   * client {@link #getWorkflowClient} returns from now on use {@code converter}; warm runners are
   * dropped. Payloads written before stay readable if the converter still decodes them.
   */
  public void setDataConverter(DataConverter converter) {
    backend.setDataConverter(converter);
  }

  public WorkflowClient getWorkflowClient() {
    return backend.client();
  }

  /** Moves virtual time forward by {@code d}, firing the timers that fall due, in order. */
  public void sleep(Duration d) {
    backend.sleep(d);
  }

  /** Turns automatic time skipping (while waiting for results) on or off. */
  public void setAutoTimeSkipping(boolean on) {
    backend.setAutoTimeSkipping(on);
  }

  public Instant currentTime() {
    return backend.currentTime();
  }

  public long currentTimeMillis() {
    return currentTime().toEpochMilli();
  }

  /** Waits until no workflow task or activity is ready or running. */
  public void awaitIdle() {
    backend.awaitIdle();
  }

  /** Drops every warm runner: the next task of each workflow replays its history from the start. */
  public void evictRunners() {
    backend.evictRunners();
  }

  public EngineStats stats() {
    return backend.stats();
  }

  @Override
  public void close() {
    backend.close();
  }
}
