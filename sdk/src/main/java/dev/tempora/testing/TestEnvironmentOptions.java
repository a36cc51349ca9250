package dev.tempora.testing;

import dev.tempora.client.WorkflowClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Settings of a {@link TestWorkflowEnvironment}. */
public final class TestEnvironmentOptions {
  final String namespace;
  final int runnerCacheSize;
  final Duration deadlockTimeout;
  final Instant startTime;
  final long idSeed;
  final WorkflowTaskFaults faults;
  final WorkflowClientOptions clientOptions;

  private TestEnvironmentOptions(Builder b) {
    this.namespace = b.namespace;
    this.runnerCacheSize = b.runnerCacheSize;
    this.deadlockTimeout = b.deadlockTimeout;
    this.startTime = b.startTime;
    this.idSeed = b.idSeed;
    this.faults = b.faults;
    this.clientOptions = b.clientOptions;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static TestEnvironmentOptions getDefaultInstance() {
    return newBuilder().build();
  }

  public static final class Builder {
    private String namespace = "default";
    private int runnerCacheSize = 600;
    private Duration deadlockTimeout = Duration.ofSeconds(5);
    private Instant startTime = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private long idSeed = System.nanoTime();
    private WorkflowTaskFaults faults;
    private WorkflowClientOptions clientOptions = WorkflowClientOptions.getDefaultInstance();

    public Builder setNamespace(String namespace) { this.namespace = namespace; return this; }

    /** Live runners kept warm; 0 makes every workflow task replay the whole history. */
    public Builder setRunnerCacheSize(int size) { this.runnerCacheSize = size; return this; }

    /** How long one workflow thread may run without yielding before the task fails. */
    public Builder setDeadlockTimeout(Duration d) { this.deadlockTimeout = d; return this; }

    /** The virtual clock's start. */
    public Builder setStartTime(Instant t) { this.startTime = t; return this; }

    /** Seed of run ids, signal ids and workflow random seeds: equal seeds give equal histories. */
    public Builder setIdSeed(long seed) { this.idSeed = seed; return this; }

    public Builder setWorkflowTaskFaults(WorkflowTaskFaults faults) { this.faults = faults; return this; }

    /** The client's options; its data converter is the workers' too, as in Temporal's test environment. */
    public Builder setWorkflowClientOptions(WorkflowClientOptions options) {
      this.clientOptions = options == null ? WorkflowClientOptions.getDefaultInstance() : options;
      return this;
    }

    public TestEnvironmentOptions build() {
      return new TestEnvironmentOptions(this);
    }
  }
}
