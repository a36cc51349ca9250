package dev.tempora.devserver.chaos;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code bin/chaos [N]}: the chaos suite at N workflows (default 1,000), with a progress line every
 * 10 s and the report at the end; exit status 0 only if nothing was lost, stuck or corrupted.
 * Whatever the emulators print goes nowhere; the engine's log goes to the file that
 * {@code org.slf4j.simpleLogger.logFile} names (bin/chaos sets it).
 */
public final class ChaosMain {
  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    PrintStream console = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream())); // DynamoDB Local prints its configuration
    int status;
    try {
      ChaosSettings settings = ChaosSettings.fromSystemProperties(n);
      console.println("chaos: " + settings.summary());
      ChaosReport report = ChaosRun.run(settings, console::println);
      String text = report.render();
      Path file = Path.of(System.getProperty("chaos.report", "devserver/target/chaos/report-" + n + ".txt"));
      ChaosTest.write(file, text);
      console.println();
      console.print(report.render(25));
      console.println("report written to " + file);
      status = report.clean() ? 0 : 1;
    } catch (RuntimeException | Error e) {
      console.println("chaos: the run itself failed: " + ChaosDriver.summary(e));
      status = 2;
    }
    console.flush();
    // DynamoDB Local leaves non-daemon threads behind; end the JVM explicitly.
    Runtime.getRuntime().halt(status);
  }
}
