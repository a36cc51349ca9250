package dev.tempora.worker;

/**
 * Implemented by the application: registers its workflows and activities. The Lambda handlers
 * find it through the environment variable {@code TEMPORA_WORKER_SETUP} (a class name with a
 * public no-argument constructor) or, if that is unset, through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.tempora.worker.WorkerSetup}).
 */
public interface WorkerSetup {
  void configure(Worker worker);
}
