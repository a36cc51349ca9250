package dev.tempora.bench.cost;

import java.util.ArrayList;
import java.util.List;

/**
 * Prices a run: {@link CallCounts} from the SDK interceptor, Lambda usage from the event-source
 * stand-ins, schedules fired, all at {@link AwsPrices}. What is counted where:
 * <ul>
 *   <li>DynamoDB: read and write request units (on demand), every component.
 *   <li>SQS: requests in 64 KB chunks, FIFO and standard queues priced apart. This includes the
 *       event-source pollers' ReceiveMessage and DeleteMessageBatch calls: on AWS, Lambda's
 *       event-source mapping polls the queue on the account's bill, as SQS requests, and
 *       empty receives count too.
 *   <li>Lambda: one request per invocation (an event-source batch is one invocation) plus any
 *       Invoke calls, and GB-seconds of handler duration at the function's memory size.
 *   <li>EventBridge Scheduler: schedules fired. Its API calls (create, delete) are not charged.
 *   <li>Not charged ({@link #free}): DynamoDB Streams calls (DescribeStream, GetShardIterator,
 *       GetRecords), which Lambda makes for a stream trigger at no charge, and DynamoDB's own TTL
 *       deletes (the devserver's stand-in for them runs as component {@value #DYNAMODB_TTL}). The
 *       stream relay's invocations and duration are priced as a Lambda function's, and its own
 *       DynamoDB and SQS calls as everyone's.
 * </ul>
 * Orchestration is everything but the user's own compute, i.e. the GB-seconds spent inside the
 * activity methods; the activity function's request charge and the rest of its duration (claiming
 * the attempt, sending the result) are the engine's and stay in.
 */
public final class CostModel {
  private CostModel() {}

  /** The component of DynamoDB's own work for TTL (deleting expired items), which AWS does not charge. */
  public static final String DYNAMODB_TTL = "dynamodb: ttl";

  /** Whether AWS charges nothing for these calls: stream reads for a Lambda trigger, TTL deletes. */
  public static boolean free(AwsCallRecorder.Row r) {
    return r.service().equals("DynamoDbStreams") || r.component().equals(DYNAMODB_TTL);
  }

  public static CostBreakdown price(CallCounts calls, List<LambdaUsage> lambdas, long schedulesFired,
      long activitySteps, long workflows) {
    List<CostBreakdown.Line> lines = new ArrayList<>();
    calls = calls.filter(r -> !free(r));
    CallCounts dynamo = calls.filter(r -> r.service().equals("DynamoDb"));
    double wru = dynamo.sum(AwsCallRecorder.Row::writeUnits);
    double rru = dynamo.sum(AwsCallRecorder.Row::readUnits);
    lines.add(new CostBreakdown.Line("DynamoDB", "write request units", wru, true,
        wru * AwsPrices.DYNAMODB_WRITE_REQUEST_UNIT, true));
    lines.add(new CostBreakdown.Line("DynamoDB", "read request units", rru, true,
        rru * AwsPrices.DYNAMODB_READ_REQUEST_UNIT, true));

    CallCounts sqs = calls.filter(r -> r.service().equals("Sqs"));
    double fifo = sqs.filter(r -> r.resource().endsWith(".fifo")).sum(AwsCallRecorder.Row::billedRequests);
    double standard = sqs.filter(r -> !r.resource().endsWith(".fifo")).sum(AwsCallRecorder.Row::billedRequests);
    lines.add(new CostBreakdown.Line("SQS", "FIFO requests (64 KB chunks)", fifo, true,
        fifo * AwsPrices.SQS_FIFO_REQUEST, true));
    lines.add(new CostBreakdown.Line("SQS", "standard requests (64 KB chunks)", standard, true,
        standard * AwsPrices.SQS_STANDARD_REQUEST, true));

    double invokes = calls.calls("Lambda", "Invoke");
    double invocations = lambdas.stream().mapToLong(LambdaUsage::invocations).sum() + invokes;
    lines.add(new CostBreakdown.Line("Lambda", "requests (invocations)", invocations, true,
        invocations * AwsPrices.LAMBDA_REQUEST, true));
    for (LambdaUsage l : lambdas) {
      double own = l.ownComputeGbSeconds();
      double engine = l.gbSeconds() - own;
      lines.add(new CostBreakdown.Line("Lambda", "GB-s " + l.function() + " @" + l.memoryMb() + " MB", engine, false,
          engine * AwsPrices.LAMBDA_GB_SECOND, true));
      if (l.ownComputeNanos() > 0) {
        lines.add(new CostBreakdown.Line("Lambda", "GB-s " + l.function() + " activity code", own, false,
            own * AwsPrices.LAMBDA_GB_SECOND, false));
      }
    }
    lines.add(new CostBreakdown.Line("Scheduler", "schedules fired", schedulesFired, true,
        schedulesFired * AwsPrices.SCHEDULER_INVOCATION, true));
    return new CostBreakdown(activitySteps, workflows, lines);
  }
}
