package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempora.activity.ActivityInterface;
import dev.tempora.activity.ActivityOptions;
import dev.tempora.activity.RetryOptions;
import dev.tempora.examples.ExamplesSetup;
import dev.tempora.failure.ApplicationFailure;
import dev.tempora.history.Event;
import dev.tempora.workflow.Workflow;
import dev.tempora.workflow.WorkflowInterface;
import dev.tempora.workflow.WorkflowMethod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Web UI in a real browser (Debian's headless Chromium through Selenium) on a devserver with
 * real workflows: an order saga that compensates, one that completes, an ETL whose transform is
 * retried, expense approvals awaiting a signal, an inventory sync whose activity keeps failing
 * (pending, retrying), a paused schedule and a dead-lettered message. Each page is opened, the
 * actions are clicked through their confirmation dialogs, and what is shown is checked against the
 * API. Screenshots go to target/ui-screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SHOTS = Path.of("target", "ui-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String EXPENSE = "{\"expenseId\":\"%s\",\"employee\":\"ann\",\"amountCents\":4200,\"description\":\"taxi\"}";

  static DevServer server;
  static ChromeDriver driver;
  static URI launch;
  static String base;

  // A workflow whose activity keeps failing and is retried every second: a pending activity.
  @WorkflowInterface
  public interface InventorySync {
    @WorkflowMethod
    String sync(String warehouse);
  }

  @ActivityInterface
  public interface InventoryActivities {
    String pushStock(String warehouse);
  }

  public static class InventorySyncImpl implements InventorySync {
    private final InventoryActivities activities = Workflow.newActivityStub(InventoryActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).setRetryOptions(RetryOptions
            .newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(1).setMaximumAttempts(0)
            .build()).build());

    @Override
    public String sync(String warehouse) {
      return activities.pushStock(warehouse);
    }
  }

  public static class DownWarehouse implements InventoryActivities {
    @Override
    public String pushStock(String warehouse) {
      throw ApplicationFailure.newFailure("warehouse " + warehouse + " is not answering", "WarehouseUnavailable");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    driver = Browser.start(); // first: without a browser there is nothing to start a stack for
    Files.createDirectories(SHOTS);
    server = DevServer.start(worker -> {
      new ExamplesSetup().configure(worker);
      worker.registerWorkflowImplementationTypes(InventorySyncImpl.class);
      worker.registerActivitiesImplementations(new DownWarehouse());
    });
    launch = server.webUiUrl();
    base = launch.getScheme() + "://" + launch.getAuthority();
    start("OrderWorkflow", "order-ui-1", "{\"orderId\":\"o-1\",\"customerId\":\"c-7\",\"sku\":\"chair\",\"quantity\":4,\"amountCents\":19996}");
    start("OrderWorkflow", "order-ui-2", "{\"orderId\":\"o-2\",\"customerId\":\"c-8\",\"sku\":\"lamp\",\"quantity\":1,\"amountCents\":4999}");
    start("EtlWorkflow", "etl-ui", "{\"jobId\":\"etl-ui\",\"source\":\"orders.csv\",\"target\":\"warehouse.orders\"}");
    start("InventorySync", "inventory-sync-ui", "\"berlin\"");
    for (String id : List.of("expense-approve", "expense-cancel")) {
      start("ExpenseWorkflow", id, EXPENSE.formatted(id));
    }
    for (int i = 1; i <= 9; i++) {
      start("ExpenseWorkflow", "expense-page-" + i, EXPENSE.formatted("p-" + i));
    }
    HttpResponse<String> schedule = LocalHttp.send(server, "POST", "/schedules", """
        {"scheduleId":"nightly-etl","action":{"workflowType":"EtlWorkflow","args":[{"jobId":"nightly","source":"orders.csv","target":"t"}]},
         "spec":{"cronExpressions":["0 2 * * *"],"timeZone":"Europe/Berlin"},"state":{"paused":true,"note":"until the warehouse is back"}}""");
    assertEquals(201, schedule.statusCode(), schedule.body());
    server.aws().sqs().sendMessage(b -> b.queueUrl(server.queues().get("timers").dlqUrl())
        .messageBody("{\"note\":\"a timer message its consumer could not decode\"}"));
    // The finished ones finished (the ETL after 1 s + 2 s of retries).
    for (String id : List.of("order-ui-1", "order-ui-2", "etl-ui")) {
      HttpResponse<String> r = LocalHttp.send(server, "GET", "/workflows/" + id + "/result?waitSeconds=20", null);
      assertEquals(200, r.statusCode(), r.body());
    }
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  static void start(String type, String id, String arg) throws Exception {
    HttpResponse<String> r = LocalHttp.send(server, "POST", "/workflows",
        "{\"workflowType\":\"" + type + "\",\"workflowId\":\"" + id + "\",\"args\":[" + arg + "]}");
    assertEquals(201, r.statusCode(), r.body());
  }

  static JsonNode api(String path) throws Exception {
    HttpResponse<String> r = LocalHttp.send(server, "GET", path, null);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /** Waits for the condition; on time-out the failure shows the page as it was (and a screenshot is saved). */
  static <T> T waitFor(Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, WAIT).until(condition);
    } catch (TimeoutException e) {
      String shot;
      try {
        shot = screenshot("timeout-" + System.nanoTime()).toString();
      } catch (IOException | RuntimeException io) {
        shot = "(no screenshot: " + io + ")";
      }
      throw new AssertionError("timed out at " + driver.getCurrentUrl() + "; screenshot " + shot + "; the page's main: "
          + driver.findElement(By.tagName("main")).getText(), e);
    }
  }

  static WebElement visible(String css) {
    return waitFor(d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  static void waitForText(String css, String text) {
    waitFor(d -> texts(css).stream().anyMatch(t -> t.contains(text)) ? true : null);
  }

  /** The elements' texts, read in one script run: auto-refresh may redraw them between two WebDriver calls. */
  @SuppressWarnings("unchecked")
  static List<String> texts(String css) {
    return (List<String>) driver.executeScript(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.innerText)", css);
  }

  static void open(String hash) {
    driver.get(base + "/" + hash);
  }

  /** The whole page (the window grown to the page's height for the shot). */
  static Path screenshot(String name) throws IOException {
    Path file = SHOTS.resolve(name + ".png");
    Dimension size = driver.manage().window().getSize();
    long height = (Long) driver.executeScript("return document.documentElement.scrollHeight");
    driver.manage().window().setSize(new Dimension(size.getWidth(), (int) Math.min(4000, Math.max(height + 120,
        size.getHeight()))));
    try {
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      driver.manage().window().setSize(size);
    }
    return file;
  }

  @SuppressWarnings("unchecked")
  static List<String> workflowIdsShown() {
    return (List<String>) driver.executeScript(
        "return [...document.querySelectorAll('#workflow-table tbody tr')].map(r => r.dataset.workflowId)");
  }

  /** Waits until the table shows exactly these ids (in any order); auto-refresh may redraw it meanwhile. */
  static void waitForIds(List<String> expected) {
    waitFor(d -> {
      List<String> shown = new ArrayList<>(workflowIdsShown());
      shown.sort(null);
      List<String> want = new ArrayList<>(expected);
      want.sort(null);
      return shown.equals(want) ? true : null;
    });
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void withoutTheTokenThePageSaysHowToSignInAndTheLaunchUrlSignsIn() throws Exception {
    open("#/workflows");
    waitForText("#unauthorized", "Open the URL the devserver");
    driver.get(launch.toString());
    visible("#workflow-table");
    assertFalse(driver.getCurrentUrl().contains("token="), "the token leaves the address bar: " + driver.getCurrentUrl());
    Object stored = ((JavascriptExecutor) driver).executeScript("return localStorage.getItem('tempora-ui-token')");
    assertEquals(launch.getFragment().substring("token=".length()), stored);
  }

  @Test
  @Order(2)
  void theWorkflowListFiltersByStatusTypeAndListQueryAndPages() throws Exception {
    open("#/workflows?pageSize=50");
    visible("#workflow-table");
    List<String> all = List.of("order-ui-1", "order-ui-2", "etl-ui", "inventory-sync-ui", "expense-approve",
        "expense-cancel", "expense-page-1", "expense-page-2", "expense-page-3", "expense-page-4", "expense-page-5",
        "expense-page-6", "expense-page-7", "expense-page-8", "expense-page-9");
    waitForIds(all);
    screenshot("workflows");

    new Select(driver.findElement(By.id("status-filter"))).selectByValue("FAILED");
    driver.findElement(By.id("apply-filters")).click();
    waitForIds(List.of("order-ui-1"));
    assertEquals(List.of("FAILED"), texts("#workflow-table .badge"));

    new Select(driver.findElement(By.id("status-filter"))).selectByValue("");
    driver.findElement(By.id("type-filter")).sendKeys("OrderWorkflow");
    driver.findElement(By.id("apply-filters")).click();
    waitForIds(List.of("order-ui-1", "order-ui-2"));

    // Started after: now, in the browser's local time: nothing started since.
    open("#/workflows?after=2999-01-01T00:00:00");
    waitForText("#no-workflows", "No workflows match");

    open("#/workflows");
    visible("#query-box").sendKeys("WorkflowType = 'EtlWorkflow' OR WorkflowType = 'InventorySync'");
    driver.findElement(By.id("apply-filters")).click();
    waitForText("#load-error", "QueryRequiresScan"); // over every status and start time
    driver.findElement(By.id("allow-scan")).click();
    driver.findElement(By.id("apply-filters")).click();
    waitForIds(List.of("etl-ui", "inventory-sync-ui"));
    driver.findElement(By.id("query-box")).sendKeys(" AND ExecutionStatus = 'Completed'");
    driver.findElement(By.id("apply-filters")).click();
    waitForIds(List.of("etl-ui"));
    open("#/workflows?query=" + java.net.URLEncoder.encode("ExecutionStatus = 'Sleeping'", "UTF-8"));
    waitForText("#load-error", "InvalidQuery");

    // 15 workflows, 10 a page: two pages, the second with the 5 oldest.
    open("#/workflows?pageSize=10");
    waitFor(d -> workflowIdsShown().size() == 10 ? true : null);
    List<String> first = workflowIdsShown();
    assertFalse(driver.findElement(By.id("next-page")).getDomProperty("disabled").equals("true"));
    driver.findElement(By.id("next-page")).click();
    waitFor(d -> workflowIdsShown().size() == 5 ? true : null);
    List<String> second = workflowIdsShown();
    List<String> both = new ArrayList<>(first);
    both.addAll(second);
    both.sort(null);
    List<String> want = new ArrayList<>(all);
    want.sort(null);
    assertEquals(want, both, "the two pages show every workflow once");
    driver.findElement(By.id("prev-page")).click();
    waitFor(d -> workflowIdsShown().equals(first) ? true : null);
  }

  @Test
  @Order(3)
  void aWorkflowPageShowsSummaryInputResultTimelineAndHistory() throws Exception {
    open("#/workflows");
    visible("#workflow-table");
    driver.findElement(By.cssSelector("tr[data-workflow-id='etl-ui'] a")).click();
    visible("#history-table");
    assertEquals("COMPLETED", driver.findElement(By.cssSelector("#status-badge .badge")).getText());
    assertTrue(driver.findElement(By.cssSelector("#summary [data-field='workflowType']")).getText().contains("EtlWorkflow"));
    String input = driver.findElement(By.id("input")).getText();
    assertTrue(input.contains("\"source\": \"orders.csv\""), "pretty-printed input: " + input);
    String result = driver.findElement(By.id("result")).getText();
    assertTrue(result.contains("\"jobId\": \"etl-ui\"") && result.contains("\"loaded\": 3"), "pretty-printed result: " + result);

    // The timeline: extract, transform (attempt 3 after two retries), load, each with its duration.
    List<WebElement> rows = driver.findElements(By.cssSelector("#timeline .tl-row"));
    assertEquals(3, rows.size(), texts("#timeline .tl-row").toString());
    assertTrue(rows.get(0).getText().startsWith("Extract #"), rows.get(0).getText());
    assertTrue(rows.get(1).getText().contains("Transform") && rows.get(1).getText().contains("attempt 3"),
        rows.get(1).getText());
    assertTrue(rows.get(2).getText().startsWith("Load #"), rows.get(2).getText());
    for (WebElement row : rows) {
      assertEquals("activity", row.getDomAttribute("data-kind"));
      assertEquals("completed", row.getDomAttribute("data-outcome"));
      assertTrue(row.findElement(By.className("tl-duration")).getText().matches("[0-9.]+ (ms|s)"), row.getText());
    }
    String transform = rows.get(1).findElement(By.className("tl-duration")).getText();
    assertTrue(transform.endsWith(" s") && Double.parseDouble(transform.split(" ")[0]) >= 2.5,
        "the transform took its 1 s + 2 s of backoff: " + transform);
    // Drawn to scale: the transform's bar (3 s and more of backoff) is wider than the extract's.
    int track = rows.get(1).findElement(By.className("tl-track")).getSize().getWidth();
    int transformBar = rows.get(1).findElement(By.className("tl-bar")).getSize().getWidth();
    int extractBar = rows.get(0).findElement(By.className("tl-bar")).getSize().getWidth();
    assertTrue(transformBar > extractBar && transformBar > track / 5,
        "bars to scale: transform " + transformBar + " px, extract " + extractBar + " px of " + track);

    // The history table has every event of the API's history, in order.
    List<String> types = new ArrayList<>();
    for (JsonNode e : api("/workflows/etl-ui/history").path("events")) {
      types.add(e.path("event").path("type").asText());
    }
    List<String> shown = driver.findElements(By.cssSelector("#history-table tbody tr")).stream()
        .map(tr -> tr.getDomAttribute("data-event-type")).toList();
    assertEquals(types, shown);
    screenshot("workflow-etl");

    // The failed saga: the failure as the result, the compensations on the timeline.
    open("#/workflow/order-ui-1");
    visible("#history-table");
    assertEquals("FAILED", driver.findElement(By.cssSelector("#status-badge .badge")).getText());
    assertTrue(driver.findElement(By.id("result")).getText().contains("OutOfStock"),
        driver.findElement(By.id("result")).getText());
    List<String> outcomes = driver.findElements(By.cssSelector("#timeline .tl-row")).stream()
        .map(r -> r.getDomAttribute("data-outcome")).toList();
    assertTrue(outcomes.contains("failed") && outcomes.stream().filter("completed"::equals).count() >= 3,
        "reserve, charge, fulfil (failed), refund, release: " + outcomes);
    for (String button : List.of("btn-signal", "btn-cancel", "btn-terminate")) {
      assertFalse(driver.findElement(By.id(button)).isEnabled(), button + " is off for a closed workflow");
    }
    screenshot("workflow-order-failed");
  }

  @Test
  @Order(4)
  void aRetryingActivityIsShownPendingWithEveryFieldDescribeGives() throws Exception {
    open("#/workflow/inventory-sync-ui");
    visible("#pending-activities th");
    assertEquals("RUNNING", driver.findElement(By.cssSelector("#status-badge .badge")).getText());
    JsonNode pending = api("/workflows/inventory-sync-ui").path("pendingActivities");
    assertEquals(1, pending.size(), pending.toString());
    List<String> fields = new ArrayList<>();
    for (Iterator<String> it = pending.get(0).fieldNames(); it.hasNext(); ) {
      fields.add(it.next());
    }
    assertEquals(fields, texts("#pending-activities th"), "a column for every field the API gives");
    assertTrue(driver.findElement(By.cssSelector("#pending-activities tbody")).getText().contains("PushStock"));
    List<WebElement> rows = driver.findElements(By.cssSelector("#timeline .tl-row"));
    assertEquals("open", rows.get(0).getDomAttribute("data-outcome"), "still running on the timeline");
    screenshot("workflow-pending-activity");

    // Terminate, through its confirmation.
    driver.findElement(By.id("btn-terminate")).click();
    visible("#dialog");
    WebElement reason = driver.findElement(By.id("terminate-reason"));
    reason.clear();
    reason.sendKeys("warehouse decommissioned");
    driver.findElement(By.id("dialog-confirm")).click();
    waitForText("#notice", "Terminated inventory-sync-ui");
    waitForText("#status-badge", "TERMINATED");
    assertTrue(api("/workflows/inventory-sync-ui/result").path("reason").asText().contains("warehouse decommissioned"));
  }

  @Test
  @Order(5)
  void queryAndSignalFromThePage() throws Exception {
    open("#/workflow/expense-approve");
    visible("#history-table");
    assertEquals("RUNNING", driver.findElement(By.cssSelector("#status-badge .badge")).getText());
    assertTrue(driver.findElement(By.id("result")).getText().contains("Still running"));
    visible("#pending-timers"); // the 7-day approval timeout

    driver.findElement(By.id("btn-query")).click();
    visible("#query-name").sendKeys("status");
    driver.findElement(By.id("dialog-confirm")).click();
    waitForText("#query-result", "\"WAITING\"");
    driver.findElement(By.id("dialog-cancel")).click();

    // Arguments that are not a JSON array are refused in the dialog; nothing is sent.
    driver.findElement(By.id("btn-signal")).click();
    visible("#signal-name").sendKeys("approve");
    WebElement args = driver.findElement(By.id("signal-args"));
    args.clear();
    args.sendKeys("\"bob\"");
    driver.findElement(By.id("dialog-confirm")).click();
    waitForText("#dialog-error", "must be a JSON array");
    assertTrue(server.client().fetchHistory("expense-approve").stream()
        .noneMatch(e -> e.event() instanceof Event.WorkflowSignaled));

    args.clear();
    args.sendKeys("[\"bob\"]");
    screenshot("signal-dialog");
    driver.findElement(By.id("dialog-confirm")).click();
    waitForText("#notice", "Signal 'approve' sent to expense-approve");
    waitForText("#status-badge", "COMPLETED");
    waitForText("#result", "\"APPROVED\"");
    waitFor(d -> d.findElements(By.cssSelector("#history-table tr[data-event-type='WorkflowSignaled']")).size() == 1
        ? true : null);
    screenshot("workflow-signaled");
  }

  @Test
  @Order(6)
  void cancelAsksForConfirmationFirst() throws Exception {
    open("#/workflow/expense-cancel");
    visible("#history-table");
    driver.findElement(By.id("btn-cancel")).click();
    waitForText("#dialog-title", "Cancel expense-cancel?");
    screenshot("cancel-dialog");
    driver.findElement(By.id("dialog-cancel")).click(); // changed our mind
    waitFor(d -> d.findElement(By.id("dialog")).isDisplayed() ? null : true);
    Thread.sleep(500); // give a wrongly sent request time to land
    assertTrue(server.client().fetchHistory("expense-cancel").stream()
        .noneMatch(e -> e.event() instanceof Event.WorkflowCancelRequested), "closing the dialog sends nothing");
    assertEquals("RUNNING", api("/workflows/expense-cancel").path("status").asText());

    driver.findElement(By.id("btn-cancel")).click();
    visible("#dialog-confirm").click();
    waitForText("#notice", "Cancellation requested for expense-cancel");
    waitForText("#status-badge", "CANCELED");
    assertEquals("CANCELED", api("/workflows/expense-cancel").path("status").asText());
  }

  @Test
  @Order(7)
  void deadLettersAreShownAndRedrivenAfterConfirmation() throws Exception {
    open("#/dead-letters");
    visible("section[data-queue='timers'] table");
    WebElement timers = driver.findElement(By.cssSelector("section[data-queue='timers']"));
    assertTrue(timers.getText().contains("1 message"), timers.getText());
    assertTrue(timers.getText().contains("a timer message its consumer could not decode"), timers.getText());
    assertFalse(driver.findElement(By.cssSelector("section[data-queue='workflow-tasks'] .redrive")).isEnabled());
    screenshot("dead-letters");
    long received = server.messagesReceived("timers");
    timers.findElement(By.className("redrive")).click();
    visible("#dialog-confirm").click();
    waitForText("#notice", "Redrove 1 message(s) to timers");
    // Its consumer got it back (and, undecodable still, dead-letters it again).
    for (int i = 0; i < 100 && server.messagesReceived("timers") == received; i++) {
      Thread.sleep(100);
    }
    assertEquals(received + 1, server.messagesReceived("timers"));
  }

  @Test
  @Order(8)
  void schedulesAreListed() throws Exception {
    open("#/schedules");
    visible("#schedules-table");
    WebElement row = driver.findElement(By.cssSelector("tr[data-schedule-id='nightly-etl']"));
    assertTrue(row.getText().contains("EtlWorkflow"), row.getText());
    assertTrue(row.getText().contains("paused: until the warehouse is back"), row.getText());
    row.findElement(By.tagName("summary")).click();
    waitFor(d -> row.getText().contains("\"cronExpressions\"") ? true : null);
    screenshot("schedules");
  }
}
