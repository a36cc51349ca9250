package dev.tempora.devserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium and its chromedriver for the Web UI's browser tests. Nothing is
 * downloaded: both binaries must be installed ({@code .ci/run} installs them when missing). A
 * missing one fails the tests with how to install it, unless {@code -Dtempora.ui.skipBrowserTests=true}
 * says to skip them.
 */
final class Browser {
  static final String SKIP_PROPERTY = "tempora.ui.skipBrowserTests";
  private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  private static final List<String> DRIVER = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  private Browser() {}

  /** A headless Chromium driven through chromedriver, or the test fails (or is skipped) saying why. */
  static ChromeDriver start() {
    Path chromium = find("tempora.chromium", CHROMIUM);
    Path driver = find("tempora.chromedriver", DRIVER);
    if (chromium == null || driver == null) {
      String missing = (chromium == null ? "Chromium (tried " + CHROMIUM + ", or -Dtempora.chromium=PATH)" : "")
          + (chromium == null && driver == null ? " and " : "")
          + (driver == null ? "chromedriver (tried " + DRIVER + ", or -Dtempora.chromedriver=PATH)" : "");
      String message = "The Web UI's browser tests need " + missing + ". Install them with: "
          + "sudo apt-get update && sudo apt-get install -y chromium chromium-driver (.ci/run does this). "
          + "To skip these tests instead, pass -D" + SKIP_PROPERTY + "=true.";
      if (Boolean.getBoolean(SKIP_PROPERTY)) {
        Assumptions.abort(message);
      }
      Assertions.fail(message);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1360,1000", "--force-device-scale-factor=1", "--lang=en-US", "--no-first-run",
        "--disable-extensions", "--disable-background-networking", "--disable-sync", "--disable-component-update");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
        .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
    return new ChromeDriver(service, options);
  }

  private static Path find(String property, List<String> candidates) {
    String given = System.getProperty(property);
    if (given != null && !given.isBlank()) {
      Path p = Path.of(given);
      return Files.isExecutable(p) ? p : null;
    }
    return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
  }
}
