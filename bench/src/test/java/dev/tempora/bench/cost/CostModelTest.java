package dev.tempora.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostModelTest {

  private static AwsCallRecorder.Row row(String component, String service, String operation, String queue, long calls,
      long billed, double rru, double wru) {
    return new AwsCallRecorder.Row(component, service, operation, queue, calls, 0, billed, 0, rru, wru, calls, 0, 0);
  }

  /**
   * 1,000 activity steps. By hand:
   * DynamoDB 1,500 WRU x $0.625/M = $0.0009375; 2,000 RRU x $0.125/M = $0.00025.
   * SQS FIFO 800 requests x $0.50/M = $0.0004; standard 1,200 x $0.40/M = $0.00048.
   * Lambda 300 invocations + 10 Invoke calls = 310 x $0.20/M = $0.000062.
   * Coordinator: 100 invocations, 20 s of handler time: (20 + 100 x 0.001) s x 1 GB = 20.1 GB-s x
   * $0.0000166667 = $0.00033500067. Activities: 200 invocations, 5 s, 512 MB: (5 + 0.2) x 0.5 =
   * 2.6 GB-s, of which the activity code's own 1 s x 0.5 = 0.5 GB-s is not orchestration:
   * 2.1 GB-s = $0.00003500007 orchestration, 0.5 GB-s = $0.00000833335 own compute.
   * Scheduler 4 x $1/M = $0.000004.
   * Orchestration: 0.0009375 + 0.00025 + 0.0004 + 0.00048 + 0.000062 + 0.00033500067 + 0.00003500007
   * + 0.000004 = $0.00250350074, i.e. $2.50350074 per million steps.
   */
  @Test
  void pricesCountedUnitsAtTheTable() {
    CallCounts calls = new CallCounts(List.of(
        row("c", "DynamoDb", "PutItem", "", 1000, 1000, 0, 1500),
        row("c", "DynamoDb", "Query", "", 2000, 2000, 2000, 0),
        row("c", "Sqs", "SendMessageBatch", "q.fifo", 700, 800, 0, 0),
        row("a", "Sqs", "ReceiveMessage", "activities", 1000, 1200, 0, 0),
        row("client", "Lambda", "Invoke", "", 10, 10, 0, 0)));
    List<LambdaUsage> lambdas = List.of(
        new LambdaUsage("coordinator", 1024, 100, 20_000_000_000L, 0),
        new LambdaUsage("activities", 512, 200, 5_000_000_000L, 1_000_000_000L));
    CostBreakdown cost = CostModel.price(calls, lambdas, 4, 1000, 250);

    assertEquals(0.00250350074, cost.orchestrationDollars(), 1e-12);
    assertEquals(0.00250350074 + 0.00000833335, cost.dollars(), 1e-12);
    assertEquals(2.50350074, cost.orchestrationPerMillionSteps(), 1e-8);
    Map<String, Double> byService = cost.orchestrationPerMillionStepsByService();
    assertEquals(1.1875, byService.get("DynamoDB"), 1e-9);
    assertEquals(0.88, byService.get("SQS"), 1e-9);
    assertEquals(0.062 + 0.33500067 + 0.03500007, byService.get("Lambda"), 1e-8);
    assertEquals(0.004, byService.get("Scheduler"), 1e-9);
    Map<String, Double> perStep = cost.requestsPerStepByService();
    assertEquals(3.5, perStep.get("DynamoDB"), 1e-12);
    assertEquals(2.0, perStep.get("SQS"), 1e-12);
    assertEquals(0.31, perStep.get("Lambda"), 1e-12);
  }

  /**
   * Stream reads for a Lambda trigger and DynamoDB's own TTL deletes are free; the stream relay's
   * own calls and invocations are not. By hand: 100 WRU ($0.0000625) + 50 RRU ($0.00000625) +
   * 10 FIFO requests ($0.000005) + 5 relay invocations ($0.000001) + its (1 + 0.005) s at 0.5 GB
   * (0.5025 GB-s = $0.00000837501675) = $0.00008312501675.
   */
  @Test
  void streamReadsAndTtlDeletesAreFreeTheRelayIsNot() {
    CallCounts calls = new CallCounts(List.of(
        row("relay", "DynamoDb", "GetItem", "", 50, 50, 50, 0),
        row("relay", "Sqs", "SendMessageBatch", "q.fifo", 10, 10, 0, 0),
        row("relay", "DynamoDbStreams", "GetRecords", "", 400, 400, 0, 0),
        row("relay", "DynamoDbStreams", "DescribeStream", "", 400, 400, 0, 0),
        row(CostModel.DYNAMODB_TTL, "DynamoDb", "DeleteItem", "", 70, 70, 0, 70),
        row("c", "DynamoDb", "PutItem", "", 100, 100, 0, 100)));
    CostBreakdown cost = CostModel.price(calls, List.of(new LambdaUsage("stream relay", 512, 5, 1_000_000_000L, 0)),
        0, 1000, 100);

    assertEquals(0.00008312501675, cost.orchestrationDollars(), 1e-14);
    Map<String, Double> perStep = cost.requestsPerStepByService();
    assertEquals(0.15, perStep.get("DynamoDB"), 1e-12);
    assertEquals(0.01, perStep.get("SQS"), 1e-12);
    assertEquals(0.005, perStep.get("Lambda"), 1e-12);
  }

  @Test
  void alternativesStateTheirConversion() {
    List<Alternatives.Quote> q = Alternatives.quotes(3);
    assertEquals(25.0, q.get(0).perMillionSteps(), 1e-9);
    assertEquals(8.0, q.get(1).perMillionSteps(), 1e-9);
    assertEquals(50.0 * 4 / 3, q.get(2).perMillionSteps(), 1e-9);
  }
}
