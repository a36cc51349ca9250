/**
 * AWS adapters of the coordinator's ports. {@link dev.tempora.internal.aws.DynamoDbHistoryStore}
 * and {@link dev.tempora.internal.aws.DynamoDbHeartbeatStore} share one DynamoDB table whose key
 * layout is described in {@code TemporaTable}.
 */
package dev.tempora.internal.aws;
