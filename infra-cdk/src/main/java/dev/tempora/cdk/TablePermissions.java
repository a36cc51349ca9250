package dev.tempora.cdk;

import java.util.List;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;

/**
 * The DynamoDB actions each kind of function uses on the Tempora table, named after what the
 * runtime does with them (sdk: DynamoDbHistoryStore, DynamoDbHeartbeatStore, DynamoDbLargeBodies).
 * Item-level actions only: no Scan, no batch actions, no table management. Transactions
 * (TransactWriteItems, used to start a run) are authorized per contained action, here PutItem.
 */
final class TablePermissions {
  /** Loading runs and history, answering queries and describe. */
  static final List<String> READ = List.of("dynamodb:GetItem", "dynamodb:Query");
  /** Everything the history store does: reads, the conditional batch put, run updates, chunk clean-up. */
  static final List<String> READ_WRITE = List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
      "dynamodb:UpdateItem", "dynamodb:DeleteItem");
  /**
   * Activity workers: claim an attempt and heartbeat (UpdateItem), read a cancel request or a large
   * task body (GetItem), store a large result body (PutItem). They never touch history or run items
   * otherwise, and cannot delete.
   */
  static final List<String> ACTIVITY = List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");

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
    grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .actions(List.of("dynamodb:Query"))
        .resources(List.of(table.visibilityIndexArn()))
        .build());
  }
}
