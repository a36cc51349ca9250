package ${package};

import dev.tempora.worker.Worker;
import dev.tempora.worker.WorkerSetup;

/**
 * What this deployment runs: its workflow types and activity implementations. The Lambda handlers
 * find it by the TEMPORA_WORKER_SETUP environment variable (the CDK app sets it) or through
 * META-INF/services/dev.tempora.worker.WorkerSetup; the embedded-stack test starts it too.
 */
public final class GreetingSetup implements WorkerSetup {
  @Override
  public void configure(Worker worker) {
    worker.registerWorkflowImplementationTypes(GreetingWorkflowImpl.class);
    worker.registerActivitiesImplementations(new GreetingActivitiesImpl());
  }
}
