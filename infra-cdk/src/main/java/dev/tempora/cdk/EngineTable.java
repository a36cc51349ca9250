package dev.tempora.cdk;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The one Tempora table, laid out exactly as the runtime creates it on the embedded stack
 * ({@code TemporaTable.create} in the sdk, docs/adr/0005): string keys {@code pk}/{@code sk}, the
 * {@code visibility} index on {@code vis}/{@code vsk} with an INCLUDE projection of the run
 * attributes listing needs, the sparse {@code parked} index on {@code parked}/{@code parkedAt} (runs
 * whose workflow task failed, with the {@code deployment} they failed on, so a new deployment
 * retries them), TTL on {@code ttl}, and a stream of new images (the table stream relay re-dispatches
 * committed effects and deletes a closed run's items when its retention ends).
 *
 * <p>Encryption: the AWS-managed key ({@code aws/dynamodb}) unless a customer-managed key is given.
 * The AWS-managed key is a real KMS key (use is logged in CloudTrail, unlike the AWS-owned default),
 * costs nothing per month, and has no key policy or rotation for the user to get wrong; DynamoDB
 * caches table keys, so it adds no KMS call per request. Who needs control over the key policy,
 * cross-account access or crypto-shredding passes their own key.
 */
public final class EngineTable extends Construct {
  public static final String PARTITION_KEY = "pk";
  public static final String SORT_KEY = "sk";
  public static final String VISIBILITY_INDEX = "visibility";
  public static final String VISIBILITY_PARTITION_KEY = "vis";
  public static final String VISIBILITY_SORT_KEY = "vsk";
  public static final String TTL_ATTRIBUTE = "ttl";
  public static final String PARKED_INDEX = "parked";
  public static final String PARKED_PARTITION_KEY = "parked";
  public static final String PARKED_SORT_KEY = "parkedAt";
  /** Attributes the parked index carries (TemporaTable.PARKED_ATTRIBUTES). */
  public static final List<String> PARKED_ATTRIBUTES = List.of("deployment");
  /**
   * Run attributes the visibility index carries (TemporaTable.VISIBILITY_ATTRIBUTES), the search
   * attributes map {@code sa} among them, so list queries filter on the index alone.
   */
  public static final List<String> VISIBILITY_ATTRIBUTES = List.of("namespace", "workflowId", "runId", "status",
      "workflowType", "taskQueue", "startTime", "closeTime", "taskFailure", "sa");

  private final Table table;

  public EngineTable(Construct scope, String id, IKey encryptionKey, RemovalPolicy removalPolicy) {
    super(scope, id);
    table = Table.Builder.create(this, "Table")
        .partitionKey(stringAttribute(PARTITION_KEY))
        .sortKey(stringAttribute(SORT_KEY))
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
            .pointInTimeRecoveryEnabled(true).build())
        .timeToLiveAttribute(TTL_ATTRIBUTE)
        .stream(StreamViewType.NEW_IMAGE)
        .encryption(encryptionKey == null ? TableEncryption.AWS_MANAGED : TableEncryption.CUSTOMER_MANAGED)
        .encryptionKey(encryptionKey)
        .deletionProtection(removalPolicy == RemovalPolicy.RETAIN)
        .removalPolicy(removalPolicy)
        .build();
    table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
        .indexName(VISIBILITY_INDEX)
        .partitionKey(stringAttribute(VISIBILITY_PARTITION_KEY))
        .sortKey(stringAttribute(VISIBILITY_SORT_KEY))
        .projectionType(ProjectionType.INCLUDE)
        .nonKeyAttributes(VISIBILITY_ATTRIBUTES)
        .build());
    table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
        .indexName(PARKED_INDEX)
        .partitionKey(stringAttribute(PARKED_PARTITION_KEY))
        .sortKey(stringAttribute(PARKED_SORT_KEY))
        .projectionType(ProjectionType.INCLUDE)
        .nonKeyAttributes(PARKED_ATTRIBUTES)
        .build());
  }

  public Table table() {
    return table;
  }

  /** The ARN of one index, for a grant that may query it but not the base table's other indexes. */
  public String indexArn(String indexName) {
    return table.getTableArn() + "/index/" + indexName;
  }

  /** The table's stream (new images). */
  public String streamArn() {
    return table.getTableStreamArn();
  }

  private static Attribute stringAttribute(String name) {
    return Attribute.builder().name(name).type(AttributeType.STRING).build();
  }
}
