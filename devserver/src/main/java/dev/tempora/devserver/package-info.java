/**
 * The embedded stack: the real Lambda handlers and the real AWS SDK v2 clients, offline, in one JVM.
 *
 * <ul>
 *   <li>{@link dev.tempora.devserver.EmbeddedAws}: DynamoDB Local and ElasticMQ (the two services
 *       with a real emulator), with ready SDK clients and queue+DLQ creation.
 *   <li>{@link dev.tempora.devserver.SqsEventSourcePoller}: Lambda's SQS event source mapping
 *       (batches, partial batch failures, visibility timeouts, FIFO groups) feeding a {@code
 *       RequestHandler<SQSEvent, SQSBatchResponse>}.
 *   <li>{@link dev.tempora.devserver.LambdaInvokeEndpoint}: the Lambda Invoke REST API for
 *       functions registered in-process.
 *   <li>{@link dev.tempora.devserver.SchedulerEndpoint}: EventBridge Scheduler's schedule API,
 *       firing one-time schedules into SQS on an injectable clock.
 * </ul>
 *
 * Each stand-in documents where it differs from the AWS service it replaces. Every listener is on
 * 127.0.0.1 only and every client signs with the start's fresh credential (ADR 11): {@link
 * dev.tempora.devserver.LocalHttpServer} is the one hardened HTTP transport (limits, timeouts, a
 * connection cap, JSON refusals) of DynamoDB Local, the two stand-ins and the HTTP API.
 */
package dev.tempora.devserver;
