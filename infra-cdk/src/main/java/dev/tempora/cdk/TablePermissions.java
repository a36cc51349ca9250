package dev.tempora.cdk;

import java.util.List;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;

/**
 * The DynamoDB actions each kind of function uses on the Tempora table, named after what the
 * runtime does with them (sdk: DynamoDbHistoryStore, DynamoDbHeartbeatStore, DynamoDbLargeBodies).
 * Item-level actions only: no Scan, no table management, and batch writes only for the stream relay
 * (deleting a closed run's items when its retention ends). Transactions (TransactWriteItems, used to
 * start a run) are authorized per contained action, here PutItem.
 */
final class TablePermissions {
  /** Loading runs and history, answering queries and describe. */
  static final List<String> READ = List.of("dynamodb:GetItem", "dynamodb:Query");
  /** Everything the history store does: reads, the conditional batch put, run updates, chunk clean-up. */
  static final List<String> READ_WRITE = List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
      "dynamodb:UpdateItem", "dynamodb:DeleteItem");
  /**
   * Activity workers: claim an attempt and heartbeat (UpdateItem), read a cancel request, the run's
   * status (no attempt starts once it is closed) or a large task body (GetItem), store a large
   * result body (PutItem). They never touch history or run items
   * otherwise, and cannot delete.
   */
  static final List<String> ACTIVITY = List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");
  /**
   * A producer's {@code WorkflowClient} (start, signal, signal-with-start, update, cancel, terminate,
   * describe, result): the history store's reads, the start transaction's puts (and a large input's
   * chunks), run updates on terminate. No DeleteItem: a client never removes items.
   */
  static final List<String> CLIENT = List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
      "dynamodb:UpdateItem");
  /**
   * The table stream relay: reads a run and its history, repairs the run record (UpdateItem), takes
   * delivered inbox items and outbox markers away (DeleteItem), and deletes a closed run's items in
   * batches when its retention ends (BatchWriteItem, deletes only in what the runtime sends). Never PutItem:
   * it appends nothing.
   */
  static final List<String> STREAM_RELAY = List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem",
      "dynamodb:DeleteItem", "dynamodb:BatchWriteItem");

  private final EngineTable table;
  private final IKey key;

  TablePermissions(EngineTable table, IKey customerKey) {
    this.table = table;
    this.key = customerKey;
  }

  void grant(IGrantable grantee, List<String> actions) {
    grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(actions)
        .resources(List.of(table.table().getTableArn()))
        .build());
    if (key != null) {
      // A customer-managed key must let the function use it; the AWS-managed key needs no grant.
      if (actions.stream().anyMatch(a -> !READ.contains(a))) {
        key.grantEncryptDecrypt(grantee);
      } else {
        key.grantDecrypt(grantee);
      }
    }
  }

  /** Listing: Query on the visibility index only (not any other index a user might add). */
  void grantList(IGrantable grantee) {
    grantIndexQuery(grantee, EngineTable.VISIBILITY_INDEX);
  }

  /** Finding parked runs to retry on a new deployment: Query on the parked index only. */
  void grantParkedQuery(IGrantable grantee) {
    grantIndexQuery(grantee, EngineTable.PARKED_INDEX);
  }

  private void grantIndexQuery(IGrantable grantee, String indexName) {
    grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("dynamodb:Query"))
        .resources(List.of(table.indexArn(indexName)))
        .build());
  }

  /**
   * What a DynamoDB stream event source reads (the four actions Lambda checks when the mapping is
   * created), on this table's stream only. CDK's {@code grantStreamRead} would grant
   * {@code dynamodb:ListStreams} on {@code *}. A customer-managed key's Decrypt comes with the
   * table grant.
   */
  void grantStreamRead(IGrantable grantee) {
    grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
            "dynamodb:ListStreams"))
        .resources(List.of(table.streamArn()))
        .build());
  }
}
