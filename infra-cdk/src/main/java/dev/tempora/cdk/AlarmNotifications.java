package dev.tempora.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.IAlarmAction;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Where the engine's alarms notify: the user's topic, the user's actions, or else a topic made
 * here. Every alarm under the engine gets the same actions on ALARM and on OK, so a page also says
 * when it is over.
 *
 * <p>The topic made here is encrypted with a key of its own (a customer-managed key: CloudWatch
 * cannot publish to a topic under the AWS-managed {@code aws/sns} key, whose policy cannot grant
 * it), refuses plain HTTP, and lets CloudWatch of this account publish; its key lets CloudWatch of
 * this account encrypt for it. Nothing else may publish except through IAM in this account.
 */
public final class AlarmNotifications extends Construct {
  static final String CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com";

  private final ITopic topic;
  private final Key key;
  private final List<IAlarmAction> actions = new ArrayList<>();

  /**
   * @param userTopic the topic to notify, or null
   * @param userActions further actions (may be empty); with neither a topic nor actions, a topic is made
   */
  public AlarmNotifications(Construct scope, String id, ITopic userTopic, List<IAlarmAction> userActions) {
    super(scope, id);
    if (userTopic == null && userActions.isEmpty()) {
      key = Key.Builder.create(this, "TopicKey")
          .description("Encrypts the Tempora alarm topic " + getNode().getPath())
          .enableKeyRotation(true)
          // Only the topic's messages in transit use it; once the topic is gone it protects nothing.
          .removalPolicy(RemovalPolicy.DESTROY)
          .build();
      String account = Stack.of(this).getAccount();
      key.addToResourcePolicy(PolicyStatement.Builder.create()
          .sid("AllowCloudWatchAlarmsToEncrypt")
          .principals(List.of(new ServicePrincipal(CLOUDWATCH_SERVICE)))
          .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
          .resources(List.of("*"))
          .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", account)))
          .build());
      Topic made = Topic.Builder.create(this, "Topic")
          .displayName("Tempora alarms")
          .masterKey(key)
          .enforceSsl(true)
          .build();
      // A topic policy replaces SNS's default one, so CloudWatch needs its own statement to publish.
      made.addToResourcePolicy(PolicyStatement.Builder.create()
          .sid("AllowCloudWatchAlarmsToPublish")
          .principals(List.of(new ServicePrincipal(CLOUDWATCH_SERVICE)))
          .actions(List.of("sns:Publish"))
          .resources(List.of(made.getTopicArn()))
          .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", account)))
          .build());
      topic = made;
    } else {
      key = null;
      topic = userTopic;
    }
    if (topic != null) {
      actions.add(new SnsAction(topic));
    }
    actions.addAll(userActions);
  }

  /** Adds the actions, on ALARM and on OK, to every alarm under {@code root}; returns those alarms. */
  public List<Alarm> notifyFromEveryAlarmUnder(IConstruct root) {
    List<Alarm> alarms = new ArrayList<>();
    for (IConstruct c : root.getNode().findAll()) {
      if (c instanceof Alarm alarm) {
        actions.forEach(a -> {
          alarm.addAlarmAction(a);
          alarm.addOkAction(a);
        });
        alarms.add(alarm);
      }
    }
    return alarms;
  }

  /** The topic alarms notify: the user's, the one made here, or null when only user actions are given. */
  public ITopic topic() {
    return topic;
  }

  /** The key of the topic made here, or null. */
  public Key key() {
    return key;
  }

  public List<IAlarmAction> actions() {
    return List.copyOf(actions);
  }
}
