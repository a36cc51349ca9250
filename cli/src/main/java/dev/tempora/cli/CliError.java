package dev.tempora.cli;

/**
 * Why a command did not succeed, and its exit code (documented in {@code tempora --help} and
 * docs/cli.md): 1 the engine or the workflow said no (not found, failed, closed, query failed), 2
 * the command line is wrong, 3 the request was refused before anything was written (the HTTP API's
 * validation, named), 4 the environment cannot be reached (no devserver, wrong credentials, network).
 */
sealed class CliError extends RuntimeException {
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int REFUSED = 3;
  static final int UNAVAILABLE = 4;

  private final int exitCode;

  CliError(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  static final class Usage extends CliError {
    Usage(String message) {
      super(USAGE, message);
    }
  }

  static final class Failed extends CliError {
    Failed(String message) {
      super(FAILED, message);
    }
  }

  static final class Refused extends CliError {
    Refused(String message) {
      super(REFUSED, message);
    }
  }

  static final class Unavailable extends CliError {
    Unavailable(String message) {
      super(UNAVAILABLE, message);
    }
  }
}
