package dev.tempora.devserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/**
 * Each start of the embedded stack makes its own credential, and its endpoints serve that one
 * only: another start's credential, or the right key id with a wrong secret, is refused by name
 * (over real HTTP, through the real AWS SDK clients).
 */
class StackCredentialsTest {

  private static DynamoDbClient dynamo(URI endpoint, AwsCredentialsProvider credentials) {
    return DynamoDbClient.builder().endpointOverride(endpoint).region(EmbeddedAws.REGION)
        .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder()).build();
  }

  private static String refusal(Runnable call) {
    AwsServiceException e = assertThrows(AwsServiceException.class, call::run);
    return e.awsErrorDetails().errorCode();
  }

  @Test
  void eachStartHasItsOwnCredentialAndDynamoDbLocalServesOnlyThatOne() {
    EmbeddedAws first = TestAws.get();
    AwsBasicCredentials mine = first.credentialValues();
    try (EmbeddedAws second = EmbeddedAws.start()) {
      AwsBasicCredentials theirs = second.credentialValues();
      assertNotEquals(mine.accessKeyId(), theirs.accessKeyId());
      assertNotEquals(mine.secretAccessKey(), theirs.secretAccessKey());
      for (AwsBasicCredentials c : List.of(mine, theirs)) {
        assertTrue(c.accessKeyId().matches("TMPR[A-Z2-7]{16}"), c.accessKeyId());
        assertTrue(c.secretAccessKey().matches("[A-Za-z0-9]{40}"));
      }
      second.dynamo().createTable(b -> b.tableName("only-mine")
          .keySchema(k -> k.attributeName("pk").keyType("HASH"))
          .attributeDefinitions(a -> a.attributeName("pk").attributeType("S")).billingMode("PAY_PER_REQUEST"));
      assertEquals(List.of("only-mine"), second.dynamo().listTables().tableNames(), "its own client is served");

      try (DynamoDbClient other = dynamo(second.dynamoEndpoint(), first.credentials());
          DynamoDbClient wrongSecret = dynamo(second.dynamoEndpoint(), StaticCredentialsProvider.create(
              AwsBasicCredentials.create(theirs.accessKeyId(), mine.secretAccessKey())));
          DynamoDbClient unsigned = DynamoDbClient.builder().endpointOverride(second.dynamoEndpoint())
              .region(EmbeddedAws.REGION).httpClientBuilder(ApacheHttpClient.builder())
              .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
              .build()) {
        assertEquals("UnrecognizedClientException", refusal(other::listTables));
        assertEquals("UnrecognizedClientException", refusal(() -> other.scan(b -> b.tableName("only-mine"))));
        assertEquals("InvalidSignatureException", refusal(wrongSecret::listTables));
        assertEquals("MissingAuthenticationTokenException", refusal(unsigned::listTables));
      }
    }
  }

  @Test
  void theSchedulerAndLambdaStandInsServeOnlyTheirCredential() {
    EmbeddedAws aws = TestAws.get();
    AwsCredentialsProvider stranger = StaticCredentialsProvider.create(StackCredentials.fresh());
    try (SchedulerEndpoint scheduler = SchedulerEndpoint.start(aws.sqs(), aws.credentialValues());
        LambdaInvokeEndpoint lambda = LambdaInvokeEndpoint.start(aws.credentialValues());
        SchedulerClient schedulerClient = SchedulerClient.builder().endpointOverride(scheduler.endpoint())
            .region(EmbeddedAws.REGION).credentialsProvider(stranger).httpClientBuilder(ApacheHttpClient.builder())
            .build();
        LambdaClient lambdaClient = LambdaClient.builder().endpointOverride(lambda.endpoint())
            .region(EmbeddedAws.REGION).credentialsProvider(stranger).httpClientBuilder(ApacheHttpClient.builder())
            .build()) {
      lambda.register("f", in -> in);
      assertEquals("UnrecognizedClientException", refusal(() -> schedulerClient.listSchedules(b -> {})));
      assertEquals("UnrecognizedClientException",
          refusal(() -> lambdaClient.invoke(b -> b.functionName("f").payload(SdkBytes.fromUtf8String("{}")))));
    }
  }
}
