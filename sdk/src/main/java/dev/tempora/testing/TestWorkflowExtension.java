package dev.tempora.testing;

import dev.tempora.client.WorkflowClient;
import dev.tempora.client.WorkflowOptions;
import dev.tempora.common.interceptors.WorkerInterceptor;
import dev.tempora.workflow.WorkflowInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: a fresh {@link TestWorkflowEnvironment} per test, with the workflows and activities
 * given to the builder registered. Test methods may take a {@link TestWorkflowEnvironment}, a
 * {@link WorkflowClient}, or a workflow interface (a stub with a random workflow id) as parameters.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestWorkflowExtension tempora = TestWorkflowExtension.newBuilder()
 *     .registerWorkflowImplementationTypes(OrderWorkflowImpl.class)
 *     .setActivityImplementations(() -> new FakeOrderActivities())
 *     .build();
 * }</pre>
 */
public final class TestWorkflowExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TestWorkflowExtension.class);

  private final List<Class<?>> workflowTypes;
  private final Supplier<Object[]> activities;
  private final Supplier<TestEnvironmentOptions> options;
  private final List<WorkerInterceptor> interceptors;

  private TestWorkflowExtension(Builder b) {
    this.workflowTypes = List.copyOf(b.workflowTypes);
    this.interceptors = List.copyOf(b.interceptors);
    this.activities = b.activities;
    this.options = b.options;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options.get());
    if (!workflowTypes.isEmpty()) {
      env.registerWorkflowImplementationTypes(workflowTypes.toArray(Class<?>[]::new));
    }
    Object[] acts = activities.get();
    if (acts.length > 0) {
      env.registerActivitiesImplementations(acts);
    }
    if (!interceptors.isEmpty()) {
      env.registerWorkerInterceptors(interceptors.toArray(WorkerInterceptor[]::new));
    }
    context.getStore(NS).put(TestWorkflowEnvironment.class, env);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestWorkflowEnvironment env = context.getStore(NS).remove(TestWorkflowEnvironment.class, TestWorkflowEnvironment.class);
    if (env != null) {
      env.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    return t == TestWorkflowEnvironment.class || t == WorkflowClient.class
        || (t.isInterface() && t.isAnnotationPresent(WorkflowInterface.class));
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    TestWorkflowEnvironment env = e.getStore(NS).get(TestWorkflowEnvironment.class, TestWorkflowEnvironment.class);
    Class<?> t = p.getParameter().getType();
    if (t == TestWorkflowEnvironment.class) {
      return env;
    }
    if (t == WorkflowClient.class) {
      return env.getWorkflowClient();
    }
    return env.getWorkflowClient().newWorkflowStub(t, WorkflowOptions.newBuilder().build());
  }

  public static final class Builder {
    private final List<Class<?>> workflowTypes = new ArrayList<>();
    private Supplier<Object[]> activities = () -> new Object[0];
    private Supplier<TestEnvironmentOptions> options = TestEnvironmentOptions::getDefaultInstance;
    private final List<WorkerInterceptor> interceptors = new ArrayList<>();

    public Builder registerWorkflowImplementationTypes(Class<?>... types) {
      workflowTypes.addAll(List.of(types));
      return this;
    }

    /** Activity objects made afresh for each test. */
    public Builder setActivityImplementations(Supplier<Object[]> perTest) {
      this.activities = perTest;
      return this;
    }

    /** The same activity objects for every test. */
    public Builder setActivityImplementations(Object... shared) {
      this.activities = () -> shared;
      return this;
    }

    public Builder setTestEnvironmentOptions(Supplier<TestEnvironmentOptions> perTest) {
      this.options = perTest;
      return this;
    }

    /** Worker interceptors for each test's environment (the last is the outermost). */
    public Builder registerWorkerInterceptors(WorkerInterceptor... workerInterceptors) {
      interceptors.addAll(List.of(workerInterceptors));
      return this;
    }

    public TestWorkflowExtension build() {
      return new TestWorkflowExtension(this);
    }
  }
}
