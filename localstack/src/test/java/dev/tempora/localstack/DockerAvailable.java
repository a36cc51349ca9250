package dev.tempora.localstack;

import java.time.Duration;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs the LocalStack suite only where a Docker engine answers; elsewhere the suite is skipped
 * with a message that says why and how to run it. Testcontainers' own probe decides (the same
 * one it would use to start containers), once per JVM. It fails fast when no socket or
 * DOCKER_HOST is there (well under a second on the build machine, which has the docker client
 * but no engine).
 *
 * <p>{@code -Dtempora.localstack.required=true} turns the skip into a run (which then fails on
 * the missing engine), for CI machines that are meant to have Docker.
 */
public final class DockerAvailable implements ExecutionCondition {
  static final String REQUIRED = "tempora.localstack.required";
  static final String HOW_TO_RUN = "Install/start Docker and run: localstack/test.sh"
      + " (or: mvn -B -ntp -pl localstack -am verify)";

  private record Probe(boolean available, Duration took) {}

  private static Probe probe;
  private static boolean announced;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Probe p = probe();
    if (p.available()) {
      return ConditionEvaluationResult.enabled("Docker engine reachable");
    }
    String message = skipMessage(p.took());
    if (Boolean.getBoolean(REQUIRED)) {
      return ConditionEvaluationResult.enabled(REQUIRED + " is set: running although " + message);
    }
    announce(message);
    return ConditionEvaluationResult.disabled(message);
  }

  static String skipMessage(Duration probeTook) {
    return "LocalStack suite skipped: no Docker engine reachable (Testcontainers' DockerClientFactory found"
        + " none in " + probeTook.toMillis() + " ms). " + HOW_TO_RUN;
  }

  private static synchronized Probe probe() {
    if (probe == null) {
      long start = System.nanoTime();
      boolean available;
      try {
        available = DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        available = false;
      }
      probe = new Probe(available, Duration.ofNanos(System.nanoTime() - start));
    }
    return probe;
  }

  /** Surefire's console lists skipped tests without their reason: say it once, plainly. */
  private static synchronized void announce(String message) {
    if (!announced) {
      announced = true;
      System.out.println("[tempora] " + message);
    }
  }
}
