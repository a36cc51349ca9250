package dev.tempora.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.bench.BenchResult;
import dev.tempora.bench.BenchSize;
import dev.tempora.bench.Figure;
import dev.tempora.bench.cost.CallCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throughput benchmark starts both systems, measures a tiny run and prices it. */
class ThroughputBenchmarkSmokeTest {

  @Test
  void smokeRunProducesFiguresCostsAndAChart(@TempDir Path charts) throws Exception {
    BenchResult r = new ThroughputBenchmark().run(BenchSize.SMOKE, charts);

    assertEquals("throughput", r.benchmark());
    for (String name : new String[] {"tempora wf/s N=20", "temporal wf/s N=20", "tempora/temporal wf/s ratio N=20",
        "tempora p99 latency N=20", "temporal CPU per workflow N=20", "orchestration $/M activity steps N=20",
        "DynamoDB $/M activity steps N=20", "SQS requests/step N=20"}) {
      Figure f = figure(r, name);
      assertEquals(1, f.runs(), name);
      assertTrue(f.min() > 0, name + " should be positive: " + f.samples());
    }
    assertEquals(0.0, figure(r, "DynamoDB transactions on the hot path N=20").median());
    // Each workflow takes at least a start task and one task per activity result.
    assertTrue(figure(r, "workflow tasks per workflow N=20").median() >= 4);
    assertTrue(Files.size(r.charts().getFirst()) > 1000);
    assertTrue(r.notes().stream().anyMatch(n -> n.contains("PutItem") && n.contains("SendMessage")));
  }

  @Test
  void countsTheOperationsOfEveryComponent() throws Exception {
    try (TemporaSystem tempora = new TemporaSystem(new TemporaSystem.Settings(2, 2, 4))) {
      TemporaSystem.Run run = tempora.run(5, "smoke", true);
      CallCounts c = run.calls();
      assertEquals(5 * 4, run.workflowTasks(), c.table());
      // One conditional history append per workflow task, made by the coordinator.
      assertEquals(run.workflowTasks(), c.filter(row -> row.component().equals(ThroughputBenchmark.COORDINATOR_FUNCTION))
          .calls("DynamoDb", "PutItem"), c.table());
      assertTrue(c.calls("Sqs", "SendMessage") + c.calls("Sqs", "SendMessageBatch") >= 5 + 3 * 5 * 2, c.table());
      assertTrue(c.calls("Sqs", "ReceiveMessage") > 0, c.table());
      assertTrue(c.calls("Sqs", "DeleteMessageBatch") > 0, c.table());
      // Activity workers claim each attempt (ADR 6).
      assertEquals(15, c.filter(row -> row.component().startsWith("tempora-activities"))
          .calls("DynamoDb", "UpdateItem"), c.table());
      // Every call is someone's: the stream relay's (the stream poller stand-in) included.
      assertTrue(c.filter(row -> row.component().equals("other")).rows().isEmpty(), c.table());
      assertTrue(c.filter(row -> row.component().equals(TemporaSystem.STREAM_RELAY))
          .calls("DynamoDbStreams", "GetRecords") > 0, c.table());
      assertTrue(run.relay().invocations() > 0 && run.relayRecords() > 0, run.relay().toString());
      assertTrue(run.cost().orchestrationDollars() > 0);
      assertTrue(c.sum(row -> row.writeUnits()) >= 5 * 4, c.table());
    }
  }

  private static Figure figure(BenchResult r, String name) {
    return r.figures().stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no figure " + name + " in " + r.figures().stream().map(Figure::name).toList()));
  }
}
