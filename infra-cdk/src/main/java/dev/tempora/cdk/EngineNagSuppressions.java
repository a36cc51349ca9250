package dev.tempora.cdk;

import dev.tempora.cdk.NagMetadata.Suppression;
import java.util.List;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.IConstruct;

/**
 * The cdk-nag AwsSolutions findings the engine accepts on purpose, each with its reason, attached
 * to exactly the resource (and, for wildcards, exactly the permission) it concerns, so that a user
 * running cdk-nag on their own stack sees the same reasoning and nothing broader is hidden. Written
 * as metadata ({@link NagMetadata}): the construct does not depend on cdk-nag.
 */
final class EngineNagSuppressions {
  static final String RUNTIME_REASON = "Java 21 on purpose: the engine and user jars are built with --release 21 "
      + "(the project's Java baseline, an LTS with SnapStart support); moving to a newer runtime is a deliberate "
      + "upgrade of the whole project, not a deployment setting.";
  static final String SCHEDULES_REASON = "Long timers are one-time Scheduler schedules named after their timer ids "
      + "(t-<hash>), created and deleted at run time, so the coordinator needs CreateSchedule/DeleteSchedule on the "
      + "schedules of its own group; the wildcard is the schedule name within that one group, nothing else.";
  static final String STREAM_DLQ_REASON = "This queue is itself a dead-letter queue: the on-failure destination of the "
      + "table stream relay's event source mapping (cdk-nag only recognizes SQS redrive DLQs). It is alarmed and retained.";
  static final String EVENT_DLQ_REASON = "This queue is itself a dead-letter queue: the EventBridge targets' DLQ and "
      + "the start function's on-failure destination (cdk-nag only recognizes SQS redrive DLQs). It is alarmed.";

  private EngineNagSuppressions() {}

  /** Every function runs Java 21 (AwsSolutions-L1 wants the newest runtime). */
  static void javaRuntime(List<EngineFunction> functions) {
    for (EngineFunction f : functions) {
      NagMetadata.suppress(f.function(), Suppression.of("AwsSolutions-L1", RUNTIME_REASON));
    }
  }

  /** The coordinator manages the schedules of its group (AwsSolutions-IAM5 on the {@code /*} resource). */
  static void scheduleWildcard(IRole coordinatorRole, String scheduleGroupName) {
    // Group names are letters, digits, '-' and '_' (DeploymentNames): nothing to escape in the regex.
    String regex = "/^Resource::arn:.+:scheduler:.*:schedule\\/" + scheduleGroupName + "\\/\\*$/g";
    NagMetadata.suppress(coordinatorRole, new Suppression("AwsSolutions-IAM5", SCHEDULES_REASON, List.of(regex)));
  }

  static final String RECURRING_SCHEDULES_REASON = "Each Tempora schedule has one recurring Scheduler schedule named "
      + "s-<hash of its id>, created, updated and deleted at run time (by the HTTP API and the schedules function), so "
      + "the wildcard is the s- schedule names within the engine's one group, nothing else.";

  /** The schedule managers create, update and delete the group's {@code s-} schedules (AwsSolutions-IAM5). */
  static void recurringScheduleWildcard(IRole role, String scheduleGroupName) {
    String regex = "/^Resource::arn:.+:scheduler:.*:schedule\\/" + scheduleGroupName + "\\/s-\\*$/g";
    NagMetadata.suppress(role, new Suppression("AwsSolutions-IAM5", RECURRING_SCHEDULES_REASON, List.of(regex)));
  }

  static final String INVOKE_API_REASON = "execute-api:Invoke on every route of the Tempora HTTP API's one stage "
      + "(TemporaEngine.grantInvokeApi): its routes have path parameters (workflow and schedule ids), so their ARNs "
      + "end in wildcards; the API has only Tempora's routes, and the grant names this API's id.";

  /** A grantee of the HTTP API may invoke its routes ({@code <api>/$default/*}{@code /*}: AwsSolutions-IAM5). */
  static void invokeApiWildcard(IConstruct granteePolicy) {
    String regex = "/^Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<[A-Za-z0-9]+>"
        + "\\/\\$default\\/\\*\\/\\*$/g";
    NagMetadata.suppress(granteePolicy, new Suppression("AwsSolutions-IAM5", INVOKE_API_REASON, List.of(regex)));
  }

  static final String XRAY_REASON = "X-Ray active tracing (TemporaEngineProps.tracing): xray:PutTraceSegments and "
      + "xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource * for them.";

  /** With tracing, each function's role may write trace segments ({@code Resource::*}: AwsSolutions-IAM5). */
  static void xrayWildcard(List<EngineFunction> functions) {
    for (EngineFunction f : functions) {
      NagMetadata.suppress(f.role(), new Suppression("AwsSolutions-IAM5", XRAY_REASON, List.of("/^Resource::\\*$/g")));
    }
  }

  /** The table stream relay's dead-letter queue has no DLQ of its own (AwsSolutions-SQS3). */
  static void streamDeadLetterQueue(IQueue deadLetterQueue) {
    NagMetadata.suppress(deadLetterQueue, Suppression.of("AwsSolutions-SQS3", STREAM_DLQ_REASON));
  }

  /** The event-start dead-letter queue has no DLQ of its own (AwsSolutions-SQS3). */
  static void eventDeadLetterQueue(IQueue deadLetterQueue) {
    NagMetadata.suppress(deadLetterQueue, Suppression.of("AwsSolutions-SQS3", EVENT_DLQ_REASON));
  }
}
