package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tempora.examples.ExamplesSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tempora CLI against an in-process devserver found through a state file, as bin/tempora runs it. */
class TemporaCliTest {


  @TempDir static Path dir;
  static DevServer server;
  static Path stateFile;

  @BeforeAll
  static void start() {
    server = DevServer.start(new ExamplesSetup());
    stateFile = dir.resolve("devserver.json");
    server.writeState(stateFile);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static CliRun cli(String... args) {
    return CliRun.of(stateFile, args);
  }

  static CliRun ok(String... args) {
    CliRun r = cli(args);
    assertEquals(0, r.rc(), () -> String.join(" ", args) + " -> " + r);
    return r;
  }

  static CliRun until(Predicate<CliRun> done, String... args) throws InterruptedException {
    CliRun r = cli(args);
    for (int i = 0; i < 100 && !done.test(r); i++) {
      Thread.sleep(100);
      r = cli(args);
    }
    return r;
  }

  static String report(String id) {
    return "{\"expenseId\":\"" + id + "\",\"employee\":\"ann\",\"amountCents\":4200,\"description\":\"taxi\"}";
  }

  @Test
  void anExpenseRoundTrip() throws Exception {
    assertTrue(ok("start", "ExpenseWorkflow", "cli-exp-1", report("e-1")).out().startsWith("Started ExpenseWorkflow cli-exp-1 (run "));
    CliRun q = until(r -> r.rc() == 0 && r.out().contains("WAITING"), "query", "cli-exp-1", "status");
    assertEquals("\"WAITING\"", q.out().strip(), q.toString());
    assertEquals("Signalled cli-exp-1: approve\n", ok("signal", "cli-exp-1", "approve", "\"bob\"").out());
    assertEquals("\"APPROVED\"", ok("result", "cli-exp-1", "--timeout", "20s").out().strip());

    String d = ok("describe", "cli-exp-1").out();
    assertTrue(d.matches("(?s).*workflowType +ExpenseWorkflow\n.*") && d.matches("(?s).*status +COMPLETED\n.*"), d);
    assertTrue(ok("--json", "describe", "cli-exp-1").out().contains("\"status\" : \"COMPLETED\""));

    String h = ok("history", "cli-exp-1").out();
    assertTrue(h.contains("WorkflowExecutionStarted ExpenseWorkflow"), h);
    assertTrue(h.contains("WorkflowExecutionSignaled") || h.contains("Signal"), h);
    assertTrue(h.strip().lines().reduce((a, b) -> b).orElseThrow().contains("WorkflowExecutionCompleted"), h);
    assertTrue(ok("--json", "history", "cli-exp-1").out().strip().startsWith("["));

    String l = ok("list", "--type", "ExpenseWorkflow").out();
    assertTrue(l.startsWith("WORKFLOW ID") && l.contains("cli-exp-1") && l.contains("COMPLETED"), l);
    assertTrue(ok("list", "--status", "completed").out().contains("cli-exp-1"));
    assertFalse(ok("list", "--status", "RUNNING").out().contains("cli-exp-1"));
  }

  @Test
  void terminateEndsARun() throws Exception {
    ok("start", "ExpenseWorkflow", "cli-exp-2", report("e-2"));
    assertEquals("Terminated cli-exp-2: changed my mind\n", ok("terminate", "cli-exp-2", "changed", "my", "mind").out());
    assertTrue(ok("describe", "cli-exp-2").out().matches("(?s).*status +TERMINATED\n.*"));
    CliRun r = cli("result", "cli-exp-2", "--timeout", "5s");
    assertEquals(1, r.rc(), r.toString());
    assertTrue(r.err().startsWith("tempora: "), r.err());
    // a closed run can be neither signalled nor terminated again
    assertEquals(1, cli("signal", "cli-exp-2", "approve", "\"bob\"").rc());
  }

  @Test
  void usageErrorsExitTwoAndSayWhatIsWrong() {
    CliRun r = cli("frobnicate");
    assertEquals(2, r.rc());
    assertTrue(r.err().contains("Unmatched argument at index 2: 'frobnicate'") && r.err().contains("tempora --help"), r.err());
    r = cli();
    assertEquals(2, r.rc());
    assertTrue(r.err().contains("Missing required subcommand"), r.err());
    r = cli("start", "ExpenseWorkflow");
    assertEquals(2, r.rc());
    assertTrue(r.err().contains("Missing required parameter: 'WORKFLOW_ID'"), r.err());
    r = cli("signal", "x", "approve", "bob");
    assertEquals(2, r.rc());
    assertTrue(r.err().contains("argument 3 is not a JSON value: bob") && r.err().contains("'\"bob\"'"), r.err());
    r = cli("start", "ExpenseWorkflow", "x", "{\"a\":1}", "{broken");
    assertEquals(2, r.rc());
    assertTrue(r.err().contains("argument 4 is not a JSON value: {broken"), r.err());
    r = cli("query", "x", "status", "1 2");
    assertEquals(2, r.rc());
    assertTrue(r.err().contains("argument 3 is not a JSON value: 1 2"), r.err());
    r = cli("describe", "a", "b");
    assertEquals(2, r.rc());
    assertTrue(r.err().contains("Unmatched argument at index 5: 'b'"), r.err());
    r = cli("list", "--status", "SLEEPING");
    assertEquals(3, r.rc()); // the HTTP API refuses it, as it refuses it to curl
    assertTrue(r.err().startsWith("tempora: InvalidParameter: "), r.err());
    r = cli("result", "x", "--timeout", "soon");
    assertEquals(2, r.rc());
    assertTrue(r.err().contains("bad --timeout 'soon'"), r.err());
    r = cli("redrive", "nope");
    assertEquals(2, r.rc());
    assertTrue(r.err().contains("unknown role 'nope'") && r.err().contains("workflow-tasks"), r.err());
    assertEquals(0, cli("--help").rc());
    assertTrue(cli("--help").out().contains("Exit codes:"));
  }

  @Test
  void anUnknownWorkflowExitsOne() {
    for (String[] args : List.of(new String[] {"describe", "no-such-wf"}, new String[] {"history", "no-such-wf"},
        new String[] {"signal", "no-such-wf", "approve", "\"bob\""}, new String[] {"result", "no-such-wf"},
        new String[] {"query", "no-such-wf", "status"})) {
      CliRun r = cli(args);
      assertEquals(1, r.rc(), String.join(" ", args) + " -> " + r);
      assertTrue(r.err().startsWith("tempora: ") && r.err().contains("no-such-wf"), r.err());
    }
  }

  @Test
  void noDevserverExitsFour() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = dev.tempora.cli.Tempora.run(new String[] {"--state-file", dir.resolve("absent.json").toString(), "list"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(4, rc); // the environment is unavailable
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no devserver running"), err.toString());
  }

  @Test
  void dlqShowsAndRedrivesDeadLetters() {
    assertTrue(ok("dlq", "timers").out().contains("timers: no dead-lettered messages"));
    // A dead letter put straight into the gpu activities' DLQ (nothing else uses that queue here).
    String dlqUrl = server.queues().get("activities-gpu").dlqUrl();
    server.aws().sqs().sendMessage(b -> b.queueUrl(dlqUrl).messageBody("{\"garbage\": true}  not a task"));
    String out = ok("dlq").out();
    assertTrue(out.contains("activities-gpu: 1 dead-lettered message(s)") && out.contains("{\"garbage\": true} not a task"), out);
    assertTrue(out.contains("received 1 time(s)") || out.contains("received 0 time(s)"), out);
    long received = server.messagesReceived("activities-gpu");
    assertEquals("Redrove 1 message(s) from the activities-gpu DLQ back to its queue\n", ok("redrive", "activities-gpu").out());
    // The redriven bytes are still no task: the worker takes them and moves them back to the DLQ
    // itself, at once (ADR 8), instead of retrying them maxReceiveCount times.
    TestAws.await("the worker received the redriven message", Duration.ofSeconds(30),
        () -> server.messagesReceived("activities-gpu") > received);
    TestAws.await("the undecodable message is back in the DLQ", Duration.ofSeconds(30),
        () -> ok("dlq", "activities-gpu").out().contains("activities-gpu: 1 dead-lettered message(s)"));
  }

  @Test
  void theStateFileIsOwnerOnlyAndHoldsThisStartsCredential() throws Exception {
    DevServerState s = DevServerState.read(stateFile);
    assertEquals(server.aws().credentialValues().accessKeyId(), s.accessKeyId());
    assertEquals(server.aws().credentialValues().secretAccessKey(), s.secretAccessKey());
    assertFalse(s.toString().contains(s.secretAccessKey()), "the secret stays out of toString");
    assumeTrue(stateFile.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file modes");
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(stateFile));
    Path fresh = dir.resolve("new-dir").resolve("devserver.json");
    s.write(fresh);
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(fresh));
    assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(fresh.getParent()));
  }

  @Test
  void aStateFileWithoutOrWithAnotherCredentialIsANamedCliError() throws Exception {
    DevServerState s = DevServerState.read(stateFile);
    var other = StackCredentials.fresh();
    Path wrong = dir.resolve("wrong-credential.json");
    withCredential(s, other.accessKeyId(), other.secretAccessKey()).write(wrong);
    // History and DLQs are read with the AWS clients, which sign with the state file's credential.
    CliRun r = cliWith(wrong, "workflow", "show", "cli-exp-1");
    assertEquals(4, r.rc(), r.toString());
    assertTrue(r.err().contains("refused the credential (UnrecognizedClientException)"), r.err());
    Path none = dir.resolve("no-credential.json");
    withCredential(s, null, null).write(none);
    r = cliWith(none, "dlq", "list");
    assertEquals(4, r.rc(), r.toString());
    assertTrue(r.err().contains("the state file has no credential"), r.err());
  }

  static DevServerState withCredential(DevServerState s, String keyId, String secret) {
    return new DevServerState(s.pid(), s.startedAt(), s.region(), s.dynamoDbEndpoint(), s.sqsEndpoint(),
        s.lambdaEndpoint(), s.schedulerEndpoint(), s.namespace(), s.tableName(), s.queuePrefix(), s.scheduleGroup(),
        s.schedulerRoleArn(), s.coordinatorFunctionName(), s.queues(), s.httpApiEndpoint(), s.workerSetup(), s.taskQueues(),
        keyId, secret, s.clockOffsetMillis(), s.workerClasspath(), s.dataDir());
  }

  static CliRun cliWith(Path state, String... args) {
    return CliRun.of(state, args);
  }

  @Test
  void theStateFileNamesTheStack() throws Exception {
    DevServerState s = DevServerState.read(stateFile);
    assertEquals(server.aws().sqsEndpoint().toString(), s.sqsEndpoint());
    assertEquals("tempora", s.tableName());
    assertEquals(List.of("workflow-tasks", "timers", "schedules", "activities-default", "activities-gpu"),
        List.copyOf(s.queues().keySet()));
    assertTrue(Files.readString(stateFile).contains("\"coordinatorFunctionName\" : \"tempora-coordinator\""));
  }
}
