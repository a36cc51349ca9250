package dev.tempora.internal.aws;

/**
 * The one {@link AwsRuntime} of a Lambda container, built from its environment on first use and
 * shared by the handlers of that container (and kept across invocations, so runners stay warm).
 */
public final class EnvironmentRuntime {
  private static volatile AwsRuntime runtime;

  private EnvironmentRuntime() {}

  public static AwsRuntime get() {
    AwsRuntime r = runtime;
    if (r == null) {
      synchronized (EnvironmentRuntime.class) {
        r = runtime;
        if (r == null) {
          r = AwsRuntime.fromEnvironment();
          runtime = r;
        }
      }
    }
    return r;
  }
}
